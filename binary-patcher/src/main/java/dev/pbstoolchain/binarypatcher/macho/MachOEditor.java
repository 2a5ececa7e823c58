package dev.pbstoolchain.binarypatcher.macho;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.io.AtomicPatcher;
import dev.pbstoolchain.binarypatcher.io.PatchPlan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies a {@link MachOEdit} the way Apple's install_name_tool does: only the header's load
 * commands are rewritten, growing into the header padding and never beyond it; then every ad-hoc or
 * linker-signed slice gets a fresh ad-hoc signature with its original identifier.
 */
public final class MachOEditor {

  private record SignJob(
      long base,
      long dataoff,
      int datasize,
      String identifier,
      List<byte[]> extras,
      long execBase,
      long execLimit,
      boolean main) {}

  /** A slice of a fat file must grow, so the fat file is laid out again ({@link FatRelayout}). */
  private static final class SliceMustGrow extends BinaryFormatException {
    private static final long serialVersionUID = 1L;

    SliceMustGrow(Path path) {
      super(path, "a slice must grow");
    }
  }

  private MachOEditor() {}

  public static Path apply(Path input, MachOEdit edit) throws BinaryFormatException {
    MachOFile file = MachOFile.read(input);
    PatchPlan plan = new PatchPlan();
    List<SignJob> jobs = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(input, StandardOpenOption.READ)) {
      for (int i = 0; i < file.images().size(); i++) {
        planImage(file, i, edit, channel, plan, jobs);
      }
    } catch (SliceMustGrow e) {
      return FatRelayout.apply(input, edit);
    } catch (IOException e) {
      throw new BinaryFormatException(input, "cannot read: " + e.getMessage(), e);
    }
    Path output = edit.output() == null ? input : edit.output();
    try {
      AtomicPatcher.apply(
          input,
          output,
          plan,
          channel -> {
            for (SignJob job : jobs) {
              byte[] signature =
                  CodeSignature.build(
                      channel,
                      job.base(),
                      job.dataoff(),
                      job.identifier(),
                      job.extras(),
                      job.execBase(),
                      job.execLimit(),
                      job.main());
              ByteBuffer padded = ByteBuffer.allocate(job.datasize());
              padded.put(signature);
              padded.flip();
              long at = job.base() + job.dataoff();
              while (padded.hasRemaining()) {
                at += channel.write(padded, at);
              }
            }
          });
    } catch (IOException e) {
      throw new BinaryFormatException(
          input, "cannot write " + output + ": " + e.getMessage() + "; the input is unchanged", e);
    }
    return output;
  }

  private static void planImage(
      MachOFile file,
      int index,
      MachOEdit edit,
      FileChannel channel,
      PatchPlan plan,
      List<SignJob> jobs)
      throws BinaryFormatException, IOException {
    MachOImage image = file.images().get(index);
    Path path = file.path();
    String where = path + " (for architecture " + image.arch() + ")";
    List<byte[]> commands = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    List<String> rpaths = image.rpaths();
    for (String missing : edit.deleteRpaths()) {
      if (!rpaths.contains(missing)) {
        throw new BinaryFormatException(
            path,
            "no LC_RPATH load command with path: "
                + missing
                + " found in: "
                + where
                + ", required for specified option \"-delete_rpath "
                + missing
                + "\"");
      }
    }
    for (var rename : edit.renameRpaths().entrySet()) {
      if (!rpaths.contains(rename.getKey())) {
        throw new BinaryFormatException(
            path,
            "no LC_RPATH load command with path: "
                + rename.getKey()
                + " found in: "
                + where
                + ", required for specified option \"-rpath "
                + rename.getKey()
                + " "
                + rename.getValue()
                + "\"");
      }
    }
    for (String add : edit.addRpaths()) {
      if (rpaths.contains(add) && !edit.deleteRpaths().contains(add)) {
        throw new BinaryFormatException(
            path,
            "\"-add_rpath "
                + add
                + "\" would duplicate path, file already has LC_RPATH for: "
                + add
                + " in: "
                + where);
      }
    }
    if (edit.id() != null && image.filetype() != MachOImage.MH_DYLIB) {
      throw new BinaryFormatException(
          path, "-id applies to dynamic libraries only, and " + where + " is not one");
    }
    boolean changed = false;
    for (LoadCommand c : image.commands()) {
      byte[] bytes = c.bytes();
      if (c.isDylibUse() && edit.changes().containsKey(c.name())) {
        bytes = withName(c, edit.changes().get(c.name()), image.alignment());
        changed = true;
      } else if (c.cmd() == LoadCommand.LC_ID_DYLIB && edit.id() != null) {
        bytes = withName(c, edit.id(), image.alignment());
        changed = true;
      } else if (c.cmd() == LoadCommand.LC_RPATH && edit.deleteRpaths().contains(c.name())) {
        changed = true;
        continue;
      } else if (c.cmd() == LoadCommand.LC_RPATH && edit.renameRpaths().containsKey(c.name())) {
        bytes = withName(c, edit.renameRpaths().get(c.name()), image.alignment());
        changed = true;
      }
      commands.add(bytes);
      types.add(c.cmd());
    }
    for (String add : edit.addRpaths()) {
      commands.add(rpath(add, image.alignment()));
      types.add(LoadCommand.LC_RPATH);
      changed = true;
    }
    Optional<LoadCommand> signature = image.codeSignature();
    CodeSignature.Parsed parsed = null;
    if (signature.isPresent()) {
      ByteBuffer sig = MachOImage.le(signature.get().bytes());
      long dataoff = Integer.toUnsignedLong(sig.getInt(8));
      int datasize = sig.getInt(12);
      try {
        parsed = CodeSignature.parse(channel, image.sliceOffset() + dataoff, datasize);
      } catch (IOException e) {
        throw new BinaryFormatException(
            path, "cannot read the code signature of " + where + ": " + e.getMessage(), e);
      }
      if (parsed.hasIdentity() && !edit.adhocSign()) {
        throw new BinaryFormatException(
            path,
            where
                + " is signed with a certificate; editing it would invalidate that signature."
                + " Re-sign it yourself after editing, or pass -adhoc_sign to replace it with an"
                + " ad-hoc signature (signing with a certificate is out of scope)");
      }
    }
    boolean sign = parsed != null || edit.adhocSign();
    if (!changed && !sign) {
      return;
    }
    if (sign) {
      sign(file, index, edit, commands, types, parsed, plan, jobs);
    }
    long newSize = 0;
    for (byte[] c : commands) {
      newSize += c.length;
    }
    long available = image.firstContent() - image.headerSize();
    if (newSize > available) {
      throw new BinaryFormatException(
          path,
          "the edited load commands of "
              + where
              + " need "
              + newSize
              + " bytes but the header has room for "
              + available
              + " (the first section starts at offset "
              + image.firstContent()
              + "); nothing was written. Relink the binary with -headerpad_max_install_names"
              + " to leave room for longer paths");
    }
    ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(0, commands.size()).putInt(4, (int) newSize);
    plan.write(image.sliceOffset() + 16, header.array());
    long oldEnd = image.sizeofcmds();
    ByteBuffer region = ByteBuffer.allocate((int) Math.max(newSize, oldEnd));
    for (byte[] c : commands) {
      region.put(c);
    }
    plan.write(image.sliceOffset() + image.headerSize(), region.array());
  }

  private static void sign(
      MachOFile file,
      int index,
      MachOEdit edit,
      List<byte[]> commands,
      List<Integer> types,
      CodeSignature.Parsed parsed,
      PatchPlan plan,
      List<SignJob> jobs)
      throws BinaryFormatException {
    MachOImage image = file.images().get(index);
    Path path = file.path();
    int linkedit = -1;
    int text = -1;
    int sigIndex = types.indexOf(LoadCommand.LC_CODE_SIGNATURE);
    for (int i = 0; i < commands.size(); i++) {
      if (types.get(i) == LoadCommand.LC_SEGMENT_64 || types.get(i) == LoadCommand.LC_SEGMENT) {
        String name = segmentName(commands.get(i));
        if (name.equals("__LINKEDIT")) {
          linkedit = i;
        } else if (name.equals("__TEXT")) {
          text = i;
        }
      }
    }
    if (linkedit < 0 || text < 0 || !image.is64()) {
      throw new BinaryFormatException(
          path, "cannot sign " + image.arch() + ": no 64-bit __TEXT and __LINKEDIT segments");
    }
    ByteBuffer le = MachOImage.le(commands.get(linkedit));
    long linkFileoff = le.getLong(40);
    long linkFilesize = le.getLong(48);
    long dataoff;
    int oldDatasize = -1;
    String identifier;
    List<byte[]> extras = new ArrayList<>();
    if (sigIndex >= 0) {
      ByteBuffer old = MachOImage.le(commands.get(sigIndex));
      dataoff = Integer.toUnsignedLong(old.getInt(8));
      oldDatasize = old.getInt(12);
      identifier = parsed.identifier();
      byte[] entitlements = parsed.blobs().get(CodeSignature.SLOT_ENTITLEMENTS);
      byte[] der = parsed.blobs().get(CodeSignature.SLOT_DER_ENTITLEMENTS);
      if (entitlements != null) {
        extras.add(entitlements);
      }
      if (der != null) {
        extras.add(der);
      }
    } else {
      if (file.fat()) {
        throw new SliceMustGrow(path);
      }
      dataoff = (linkFileoff + linkFilesize + 15) & ~15L;
      identifier = edit.identifier() != null ? edit.identifier() : path.getFileName().toString();
      ByteBuffer cmd = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      cmd.putInt(LoadCommand.LC_CODE_SIGNATURE).putInt(16).putInt((int) dataoff).putInt(0);
      commands.add(cmd.array());
      types.add(LoadCommand.LC_CODE_SIGNATURE);
      sigIndex = commands.size() - 1;
    }
    int needed = CodeSignature.size(identifier, dataoff, extras);
    int datasize = (needed + 15) & ~15;
    boolean lastSlice =
        file.images().stream().allMatch(other -> other.sliceOffset() <= image.sliceOffset());
    if (file.fat() && oldDatasize >= 0 && !lastSlice) {
      if (datasize > oldDatasize) {
        throw new SliceMustGrow(path);
      }
      datasize = oldDatasize;
    }
    if (file.fat() && lastSlice) {
      // The last slice may grow or shrink: the file ends with it, and fat_arch.size follows.
      long sliceSize = dataoff + datasize;
      ByteBuffer size = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN);
      size.putInt(0, (int) sliceSize);
      plan.write(8L + 20L * index + 12, size.array());
      plan.truncateTo(image.sliceOffset() + sliceSize);
      plan.extendTo(image.sliceOffset() + sliceSize);
    }
    ByteBuffer sig = MachOImage.le(commands.get(sigIndex));
    sig.putInt(12, datasize);
    long newFilesize = dataoff + datasize - linkFileoff;
    long page = image.cputype() == MachOImage.CPU_TYPE_ARM64 ? 0x4000 : 0x1000;
    le.putLong(48, newFilesize);
    le.putLong(32, (newFilesize + page - 1) / page * page);
    if (!file.fat()) {
      long end = dataoff + datasize;
      plan.truncateTo(end);
      plan.extendTo(end);
    }
    ByteBuffer t = MachOImage.le(commands.get(text));
    jobs.add(
        new SignJob(
            image.sliceOffset(),
            dataoff,
            datasize,
            identifier,
            extras,
            t.getLong(40),
            t.getLong(48),
            image.filetype() == MachOImage.MH_EXECUTE));
  }

  private static String segmentName(byte[] command) {
    int end = 8;
    while (end < 24 && command[end] != 0) {
      end++;
    }
    return new String(command, 8, end - 8, StandardCharsets.US_ASCII);
  }

  /** The command with a new name, keeping everything before the name (versions, use flags). */
  static byte[] withName(LoadCommand c, String name, int alignment) {
    byte[] text = name.getBytes(StandardCharsets.UTF_8);
    int size = align(c.nameOffset() + text.length + 1, alignment);
    byte[] bytes = new byte[size];
    System.arraycopy(c.bytes(), 0, bytes, 0, c.nameOffset());
    System.arraycopy(text, 0, bytes, c.nameOffset(), text.length);
    MachOImage.le(bytes).putInt(4, size);
    return bytes;
  }

  static byte[] rpath(String path, int alignment) {
    byte[] text = path.getBytes(StandardCharsets.UTF_8);
    int size = align(12 + text.length + 1, alignment);
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(LoadCommand.LC_RPATH).putInt(size).putInt(12).put(text);
    return b.array();
  }

  private static int align(int value, int alignment) {
    return (value + alignment - 1) / alignment * alignment;
  }

  /** Problems with each signed slice's signature; empty lists when valid. */
  public static List<String> verifySignatures(Path path) throws BinaryFormatException {
    MachOFile file = MachOFile.read(path);
    List<String> problems = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      for (MachOImage image : file.images()) {
        Optional<LoadCommand> signature = image.codeSignature();
        if (signature.isEmpty()) {
          problems.add(image.arch() + ": code object is not signed at all");
          continue;
        }
        ByteBuffer sig = MachOImage.le(signature.get().bytes());
        for (String p :
            CodeSignature.verify(
                channel,
                image.sliceOffset(),
                Integer.toUnsignedLong(sig.getInt(8)),
                sig.getInt(12))) {
          problems.add(image.arch() + ": " + p);
        }
      }
    } catch (IOException e) {
      problems.add("cannot read the signature: " + e.getMessage());
    }
    return problems;
  }
}
