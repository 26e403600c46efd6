import { cpus, totalmem } from 'node:os';
export const os = () => `${cpus().length} cores ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
