package dev.pbstoolchain.oci.layer;

import dev.pbstoolchain.oci.tar.TarHeaders;
import dev.pbstoolchain.packagers.layout.Entry;

/**
 * One path of a layer as it goes into the tar.
 *
 * @param path where it lands in the image, relative, {@code /}-separated
 * @param kind file, directory or symlink
 * @param mode permission bits
 * @param owner numeric owner and group, with their names
 * @param mtime modification time, seconds
 * @param file the layout's entry whose content a file has (null otherwise)
 * @param linkTarget a symlink's target
 */
public record LayerEntry(
    String path,
    Entry.Kind kind,
    int mode,
    TarHeaders.Owner owner,
    long mtime,
    Entry file,
    String linkTarget) {

  public long size() {
    return file == null ? 0 : file.size();
  }
}
