// The size limits of a roster or population upload, in one place: the import code refuses a larger file with
// its own message, and the route declares the request limit that the server's body gate applies (decision 014).

/** Roster files of ~60,000 officials stay well under this. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** The whole upload request: the file, plus the multipart wrapper and the form's other fields. */
export const MAX_IMPORT_REQUEST_BYTES = MAX_IMPORT_BYTES + 64 * 1024;
