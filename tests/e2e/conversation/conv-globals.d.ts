// The `CONV` page global of conv-page.js (browser side only).
// eslint-disable-next-line no-var, @typescript-eslint/no-explicit-any
declare var CONV: any;
