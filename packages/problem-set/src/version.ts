declare const __HW_VERSION__: string;

/** The version of `@hw/problem-set` in use (from its package.json at build time). */
export const version: string = __HW_VERSION__;
