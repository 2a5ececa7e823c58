/**
 * The artifact formats and the one entry point that writes a release in several of them: {@link
 * dev.pbstoolchain.packagers.format.Packager#writeAll}.
 */
package dev.pbstoolchain.packagers.format;
