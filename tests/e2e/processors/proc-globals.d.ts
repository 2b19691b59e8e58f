// The `PROC` page global of proc-page.js (browser side only).
// eslint-disable-next-line no-var, @typescript-eslint/no-explicit-any
declare var PROC: any;
