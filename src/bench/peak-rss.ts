import { readFileSync } from 'node:fs';

/**
 * This process's peak RSS in MB. On Linux from /proc (VmHWM, this process's own high-water mark):
 * getrusage's maxRSS keeps, across exec, the RSS of the forked copy of the parent — a bench parent
 * holding a fake server's data or a generated export — so it would report the parent's size.
 */
export function peakRssMb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // Not Linux: getrusage is the best there is.
  }
  return process.resourceUsage().maxRSS / 1024;
}
