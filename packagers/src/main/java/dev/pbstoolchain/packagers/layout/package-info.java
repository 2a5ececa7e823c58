/** The layout model every packager consumes. */
package dev.pbstoolchain.packagers.layout;
