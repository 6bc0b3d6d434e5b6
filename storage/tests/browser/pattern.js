// The byte written at disk offset `offset + i` by a test write with this seed.
export function pattern(seed, offset, i) {
  return (seed * 31 + ((offset + i) >> 9) * 17 + i) & 255;
}
