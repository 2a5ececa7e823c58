/**
 * Where archives are written: sinks that take an archive's own bytes and its files' contents
 * (spliced from deflated bodies or streamed through xz or zstd), and artifacts written to a temp
 * file and renamed into place.
 */
package dev.pbstoolchain.packagers.output;
