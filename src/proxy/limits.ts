/**
 * Size caps per GOPROXY endpoint. The zip cap is Go's (X/zip/zip.go:70 MaxZipFile = 500 MiB;
 * G/modfetch/fetch.go reads up to MaxZipFile+1 to detect an oversize zip); the .mod cap is
 * x/zip's MaxGoMod (16 MiB). list, info and latest are small JSON or text answers.
 */
export interface SizeLimits {
  zip: number;
  mod: number;
  list: number;
  info: number;
}

export const sizeLimits: Readonly<SizeLimits> = {
  zip: 500 << 20,
  mod: 16 << 20,
  list: 4 << 20,
  info: 64 << 10,
};
