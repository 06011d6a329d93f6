/** Plain JSON, the only thing sessions and events may hold (they are stored and versioned). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };
