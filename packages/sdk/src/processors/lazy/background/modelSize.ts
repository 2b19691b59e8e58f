/** The segmentation model's input size (MediaPipe's landscape selfie model takes 256×144). */
export const MODEL_WIDTH = 256;
export const MODEL_HEIGHT = 144;
