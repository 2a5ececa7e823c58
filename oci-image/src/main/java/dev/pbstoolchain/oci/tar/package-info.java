/**
 * Tar as layers and archives need it: header records with numeric owners, and a reader of a base's
 * layers.
 */
package dev.pbstoolchain.oci.tar;
