// The runtime's version, shown by `mfdata --version` and in `status`.
export const RUNTIME_VERSION = '0.1.0';
