// JavaScript twin of shared/tvm_layout.h: word indices into the machine's shared memory.
// cli/tests/layout.test.js checks that every constant here matches the C header.

// Machine block
export const TVM_M_IRQ_SEQ = 0;
export const TVM_M_STOP = 1;
export const TVM_M_STATE = 2;
export const TVM_M_RESET_TYPE = 3;
export const TVM_M_DMA_SEQ = 4;
export const TVM_M_UART_RX_ON = 5;
export const TVM_M_WORDS = 16;

export const TVM_STATE_LOADING = 0;
export const TVM_STATE_RUNNING = 1;
export const TVM_STATE_OFF = 2;
export const TVM_STATE_FAILED = 3;

// Virtio device block
export const TVM_V_READY = 0;
export const TVM_V_DEVICE_ID = 1;
export const TVM_V_VENDOR_ID = 2;
export const TVM_V_FEATURES_LO = 3;
export const TVM_V_FEATURES_HI = 4;
export const TVM_V_NUM_QUEUES = 5;
export const TVM_V_QUEUE_NUM_MAX = 6;
export const TVM_V_ISR = 7;
export const TVM_V_CONFIG_GENERATION = 8;
export const TVM_V_STATUS = 9;
export const TVM_V_STATUS_SEQ = 10;
export const TVM_V_RESET_GEN = 11;
export const TVM_V_NOTIFY = 12;
export const TVM_V_DRIVER_FEAT_LO = 13;
export const TVM_V_DRIVER_FEAT_HI = 14;
export const TVM_V_WAKE = 15;
export const TVM_V_QUEUES = 16;
export const TVM_V_MAX_QUEUES = 8;
export const TVM_VQ_NUM = 0;
export const TVM_VQ_READY = 1;
export const TVM_VQ_DESC_LO = 2;
export const TVM_VQ_DESC_HI = 3;
export const TVM_VQ_DRIVER_LO = 4;
export const TVM_VQ_DRIVER_HI = 5;
export const TVM_VQ_DEVICE_LO = 6;
export const TVM_VQ_DEVICE_HI = 7;
export const TVM_VQ_WORDS = 8;
export const TVM_V_CONFIG = 80;
export const TVM_V_CONFIG_BYTES = 256;
export const TVM_V_HOST = 144;
export const TVM_V_HOST_WORDS = 16;
export const TVM_V_RESET_ACK = 160;
export const TVM_V_WORDS = 168;

export const TVM_CON_RESIZE_SEQ = TVM_V_HOST + 0;
export const TVM_CON_COLS = TVM_V_HOST + 1;
export const TVM_CON_ROWS = TVM_V_HOST + 2;

// DMA bitmap
export const TVM_DMA_PAGE_SHIFT = 12;

// Byte ring
export const TVM_RING_HEAD = 0;
export const TVM_RING_TAIL = 1;
export const TVM_RING_CAPACITY = 2;
export const TVM_RING_HEADER_WORDS = 4;
export const TVM_CONSOLE_RING_BYTES = 65536;
