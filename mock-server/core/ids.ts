import type { Random } from './random.ts';

// livekit's guid.New: prefix + 12 characters of base57 (protocol utils/guid).
const BASE57 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export type IdPrefix = 'AW_' | 'AJ_' | 'RM_' | 'AD_' | 'PA_' | 'TR_' | 'ND_' | 'ST_' | 'SDR_' | 'SCL_' | '';

export class IdGenerator {
  constructor(private readonly random: Random) {}

  next(prefix: IdPrefix): string {
    let id = prefix;
    for (let i = 0; i < 12; i++) id += BASE57[Math.floor(this.random.next() * BASE57.length)];
    return id;
  }
}
