/** The repository's folder. */
export declare const ROOT: string;
/** Where the compiled JavaScript goes (dist/). */
export declare const OUT: string;
/** Brings dist/ up to date with src/ and flows/ (see launch.mjs). */
export declare function compileStale(): Promise<void>;
/** The Node flags `npm start` runs the server with (from package.json). */
export declare function startFlags(): string[];
/** The environment the image adds to run the server (Dockerfile ENV). */
export declare const IMAGE_ENV: Readonly<Record<string, string>>;
