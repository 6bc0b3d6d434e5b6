// JavaScript twin of shared/tvm_exec.h: the command channel's frame layout and constants
// (docs/exec-channel.md). cli/tests/exec_agent.test.js checks that the two agree.
export const TVM_EXEC_VERSION = 1;
export const TVM_EXEC_HEADER_BYTES = 8;
export const TVM_EXEC_MAX_PAYLOAD = 32768;
export const TVM_EXEC_STDIN_WINDOW = 262144;
export const TVM_EXEC_OUTPUT_WINDOW = 1048576;

export const TVM_EXEC_OPEN = 0x01;
export const TVM_EXEC_STDIN = 0x02;
export const TVM_EXEC_SIGNAL = 0x03;
export const TVM_EXEC_OUTPUT_ACK = 0x04;

export const TVM_EXEC_HELLO = 0x81;
export const TVM_EXEC_STARTED = 0x82;
export const TVM_EXEC_STDOUT = 0x83;
export const TVM_EXEC_STDERR = 0x84;
export const TVM_EXEC_STDIN_ACK = 0x85;
export const TVM_EXEC_EXIT = 0x86;
export const TVM_EXEC_ERROR = 0x87;
