function toNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map(shift => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Terraform's cidrsubnet(prefix, newbits, netnum) for IPv4. */
export function cidrSubnet(prefix: string, newBits: number, netNumber: number): string {
  const [address, lengthText] = prefix.split('/');
  const length = Number(lengthText) + newBits;
  if (length > 32 || netNumber >= 2 ** newBits) throw new Error(`cidrsubnet(${prefix}, ${newBits}, ${netNumber}) is out of range`);
  const base = toNumber(address) - (toNumber(address) % 2 ** (32 - Number(lengthText)));
  return `${toAddress(base + netNumber * 2 ** (32 - length))}/${length}`;
}
