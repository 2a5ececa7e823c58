/**
 * Deflate and gzip of our own: the encoder, pigz-style parallel gzip streams, and every file's
 * content deflated once ({@link dev.pbstoolchain.packagers.deflate.DeflatedBodies}) for the formats
 * to splice.
 */
package dev.pbstoolchain.packagers.deflate;
