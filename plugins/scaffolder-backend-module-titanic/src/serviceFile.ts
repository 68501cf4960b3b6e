/** One file of a new service's repository, and the reference file it comes from. */
export interface ServiceFile {
  path: string;
  referencePath: string;
  content: Buffer;
  executable: boolean;
}
