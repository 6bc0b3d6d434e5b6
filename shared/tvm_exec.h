/* The command channel between the host and the guest agent (docs/exec-channel.md): the frame
 * layout and every constant of the protocol. shared/exec_proto.js is the JavaScript twin;
 * cli/tests/layout.test.js checks that the two agree. */
#ifndef TVM_EXEC_H
#define TVM_EXEC_H

#define TVM_EXEC_VERSION 1
/* Every frame: u8 type, u8 flags (0), u16 session, u32 payload length, all little-endian,
 * then the payload. */
#define TVM_EXEC_HEADER_BYTES 8
#define TVM_EXEC_MAX_PAYLOAD 32768
/* Stdin bytes the host may send to one session before the agent has acknowledged them: the
 * agent can always buffer what arrives, so it never stops reading the channel (a signal behind
 * stdin that a command does not read still gets through). */
#define TVM_EXEC_STDIN_WINDOW 262144
/* Output bytes (stdout and stderr) the agent sends for one session before the host has
 * acknowledged them: a reader that does not keep up holds back its own command, no other. */
#define TVM_EXEC_OUTPUT_WINDOW 1048576

/* host -> guest */
#define TVM_EXEC_OPEN 0x01   /* payload: the command, run with SHELL -c */
#define TVM_EXEC_STDIN 0x02  /* payload: bytes for the command's stdin; empty: end of input */
#define TVM_EXEC_SIGNAL 0x03 /* payload: u32 signal number, sent to the command's process group */
/* payload: u32, output bytes of the session the host has consumed */
#define TVM_EXEC_OUTPUT_ACK 0x04

/* guest -> host */
/* session 0; payload: u32 version, u32 max payload, name */
#define TVM_EXEC_HELLO 0x81
/* payload: u32 pid */
#define TVM_EXEC_STARTED 0x82
/* payload: bytes */
#define TVM_EXEC_STDOUT 0x83
#define TVM_EXEC_STDERR 0x84
/* payload: u32, stdin bytes written to the command's pipe since the last acknowledgement */
#define TVM_EXEC_STDIN_ACK 0x85
/* payload: u32 status (0..255, 128+N for signal N), u32 signal (0 if it exited) */
#define TVM_EXEC_EXIT 0x86
/* payload: a message; ends the session (on session 0: the channel) */
#define TVM_EXEC_ERROR 0x87

#endif
