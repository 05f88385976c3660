/** The part of the server's logger (pino) the upload plugin writes to. */
export interface UploadLogger {
  debug(details: object, message: string): void;
  warn(details: object, message: string): void;
}
