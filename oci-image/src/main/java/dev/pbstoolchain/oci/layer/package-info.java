/**
 * The image's own layers: the release's deb layout split into a Python runtime layer and an app
 * layer, placed onto the base (through its directory links, owners mapped to its ids, clashes
 * refused), and written as reproducible gzip tars from the shared deflated bodies.
 */
package dev.pbstoolchain.oci.layer;
