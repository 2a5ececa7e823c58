package dev.pbstoolchain.packagers.output;

import com.github.luben.zstd.ZstdOutputStream;
import dev.pbstoolchain.packagers.deflate.Gzip;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** The payload compressions deb and rpm support; gzip payloads can splice shared bodies. */
public enum Compression {
  GZIP("gz", "gzip"),
  XZ("xz", "xz"),
  ZSTD("zst", "zstd");

  private final String debSuffix;
  private final String rpmName;

  Compression(String debSuffix, String rpmName) {
    this.debSuffix = debSuffix;
    this.rpmName = rpmName;
  }

  public String debSuffix() {
    return debSuffix;
  }

  public String rpmName() {
    return rpmName;
  }

  public OutputStream wrap(OutputStream out) throws IOException {
    return switch (this) {
      case GZIP -> Gzip.stream(out, Gzip.LEVEL);
      case XZ -> new XZCompressorOutputStream(out, 6);
      case ZSTD -> {
        ZstdOutputStream zstd = new ZstdOutputStream(out, 19);
        zstd.setChecksum(true);
        yield zstd;
      }
    };
  }
}
