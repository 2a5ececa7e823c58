package dev.pbstoolchain.binarypatcher.macho;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.io.AtomicPatcher;
import dev.pbstoolchain.binarypatcher.io.PatchPlan;
import dev.pbstoolchain.binarypatcher.io.PositionalRead;
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
    if (plan.isEmpty() && jobs.isEmpty() && output.equals(input)) {
      return input;
    }
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

  /** A load command as the edit leaves it. */
  private record Command(int cmd, byte[] bytes, String name, int nameOffset) {

    static Command of(LoadCommand c) {
      return new Command(c.cmd(), c.bytes(), c.name(), c.nameOffset());
    }

    boolean isRpath() {
      return cmd == LoadCommand.LC_RPATH;
    }

    Command renamed(String newName, int alignment) {
      return new Command(cmd, withName(bytes, nameOffset, newName, alignment), newName, nameOffset);
    }
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
    List<Command> commands = new ArrayList<>();
    for (LoadCommand c : image.commands()) {
      commands.add(Command.of(c));
    }
    int alignment = image.alignment();
    boolean changed = false;

    // 1. Deletions: each named path must be there.
    List<String> rpaths = rpaths(commands);
    for (String missing : edit.deleteRpaths()) {
      if (!rpaths.contains(missing)) {
        throw noRpath(path, missing, where, "-delete_rpath " + missing);
      }
    }
    changed |=
        commands.removeIf(
            c -> c.isRpath() && (edit.deleteAllRpaths() || edit.deleteRpaths().contains(c.name())));

    // 2. Renames: the old path must be there, the new one must not.
    rpaths = rpaths(commands);
    for (var rename : edit.renameRpaths().entrySet()) {
      if (!rpaths.contains(rename.getKey())) {
        throw noRpath(
            path, rename.getKey(), where, "-rpath " + rename.getKey() + " " + rename.getValue());
      }
      if (rpaths.contains(rename.getValue())) {
        throw duplicate(path, rename.getValue(), where, "-rpath");
      }
    }
    for (int i = 0; i < commands.size(); i++) {
      Command c = commands.get(i);
      String newName = null;
      if (c.isRpath()) {
        newName = edit.renameRpaths().get(c.name());
      } else if (c.cmd() == LoadCommand.LC_ID_DYLIB && image.filetype() == MachOImage.MH_DYLIB) {
        // 3. -id: only a dynamic library has an install name; other files ignore it.
        newName = edit.id();
      } else if (LoadCommand.isDylibUse(c.cmd())) {
        // 4. -change: the first one given for a name; never chained through another's result.
        newName = edit.changes().get(c.name());
      }
      if (newName != null && !newName.equals(c.name())) {
        commands.set(i, c.renamed(newName, alignment));
        changed = true;
      }
    }

    // 5. and 6. Added paths go last, prepended ones first (each before the one before it).
    rpaths = rpaths(commands);
    for (String add : edit.addRpaths()) {
      if (rpaths.contains(add)) {
        throw duplicate(path, add, where, "-add_rpath");
      }
      rpaths.add(add);
      commands.add(rpath(add, alignment));
      changed = true;
    }
    for (String prepend : edit.prependRpaths()) {
      if (rpaths.contains(prepend)) {
        throw duplicate(path, prepend, where, "-prepend_rpath");
      }
      rpaths.add(prepend);
      commands.add(0, rpath(prepend, alignment));
      changed = true;
    }

    if (!changed && !edit.adhocSign()) {
      // Nothing to do: the slice, its signature included, stays byte for byte.
      return;
    }
    Optional<LoadCommand> signature = image.codeSignature();
    CodeSignature.Parsed parsed = null;
    if (signature.isPresent()) {
      ByteBuffer sig = MachOImage.le(signature.get().bytes());
      long dataoff = Integer.toUnsignedLong(sig.getInt(8));
      long datasize = Integer.toUnsignedLong(sig.getInt(12));
      try {
        parsed =
            CodeSignature.parse(channel, image.sliceOffset(), image.sliceSize(), dataoff, datasize);
      } catch (CodeSignature.Malformed e) {
        if (!e.zeroFilled() && !edit.adhocSign()) {
          throw new BinaryFormatException(
              path,
              "cannot read the code signature of "
                  + where
                  + ": "
                  + e.getMessage()
                  + "; pass -adhoc_sign to replace it with a new ad-hoc signature");
        }
        // A placeholder the linker left (all zeros) or one the user asked to replace: a new one.
        parsed = null;
      }
      if (parsed != null && parsed.hasIdentity() && !edit.adhocSign()) {
        throw new BinaryFormatException(
            path,
            where
                + " is signed with a certificate; editing it would invalidate that signature."
                + " Re-sign it yourself after editing, or pass -adhoc_sign to replace it with an"
                + " ad-hoc signature (signing with a certificate is out of scope)");
      }
    }
    if (signature.isPresent() || edit.adhocSign()) {
      sign(file, index, edit, commands, parsed, plan, jobs);
    }
    long newSize = 0;
    for (Command c : commands) {
      newSize += c.bytes().length;
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
    for (Command c : commands) {
      region.put(c.bytes());
    }
    plan.write(image.sliceOffset() + image.headerSize(), region.array());
  }

  private static List<String> rpaths(List<Command> commands) {
    List<String> rpaths = new ArrayList<>();
    for (Command c : commands) {
      if (c.isRpath()) {
        rpaths.add(c.name());
      }
    }
    return rpaths;
  }

  private static BinaryFormatException noRpath(
      Path path, String rpath, String where, String option) {
    return new BinaryFormatException(
        path,
        "no LC_RPATH load command with path: "
            + rpath
            + " found in: "
            + where
            + ", required for specified option \""
            + option
            + "\"");
  }

  private static BinaryFormatException duplicate(
      Path path, String rpath, String where, String option) {
    return new BinaryFormatException(
        path,
        "rpath '"
            + rpath
            + "' would create a duplicate load command: "
            + where
            + " already has LC_RPATH "
            + rpath
            + "; drop that "
            + option);
  }

  private static void sign(
      MachOFile file,
      int index,
      MachOEdit edit,
      List<Command> commands,
      CodeSignature.Parsed parsed,
      PatchPlan plan,
      List<SignJob> jobs)
      throws BinaryFormatException {
    MachOImage image = file.images().get(index);
    Path path = file.path();
    String where = path + " (for architecture " + image.arch() + ")";
    int linkedit = -1;
    int text = -1;
    int sigIndex = -1;
    for (int i = 0; i < commands.size(); i++) {
      int cmd = commands.get(i).cmd();
      if (cmd == LoadCommand.LC_SEGMENT_64 || cmd == LoadCommand.LC_SEGMENT) {
        String name = segmentName(commands.get(i).bytes());
        if (name.equals("__LINKEDIT")) {
          linkedit = i;
        } else if (name.equals("__TEXT")) {
          text = i;
        }
      } else if (cmd == LoadCommand.LC_CODE_SIGNATURE) {
        sigIndex = i;
      }
    }
    if (linkedit < 0 || text < 0 || !image.is64()) {
      throw new BinaryFormatException(
          path, "cannot sign " + where + ": no 64-bit __TEXT and __LINKEDIT segments");
    }
    byte[] linkeditBytes = commands.get(linkedit).bytes().clone();
    commands.set(linkedit, withBytes(commands.get(linkedit), linkeditBytes));
    ByteBuffer le = MachOImage.le(linkeditBytes);
    long linkFileoff = le.getLong(SEGMENT_FILEOFF);
    long linkFilesize = le.getLong(SEGMENT_FILESIZE);
    long headerEnd = image.headerSize() + image.sizeofcmds();
    if (linkFileoff < headerEnd
        || linkFilesize < 0
        || linkFileoff > image.sliceSize()
        || linkFilesize > image.sliceSize() - linkFileoff) {
      throw new BinaryFormatException(
          path,
          "__LINKEDIT of "
              + where
              + " (fileoff "
              + Long.toUnsignedString(linkFileoff)
              + ", filesize "
              + Long.toUnsignedString(linkFilesize)
              + ") lies outside the image ("
              + image.sliceSize()
              + " bytes after the load commands' end at "
              + headerEnd
              + "): the file is truncated or corrupt, so it cannot be signed");
    }
    long dataoff;
    long oldDatasize = -1;
    String identifier;
    List<byte[]> extras = new ArrayList<>();
    if (sigIndex >= 0) {
      ByteBuffer old = MachOImage.le(commands.get(sigIndex).bytes());
      dataoff = Integer.toUnsignedLong(old.getInt(8));
      oldDatasize = Integer.toUnsignedLong(old.getInt(12));
      if (dataoff < linkFileoff || dataoff > image.sliceSize()) {
        throw new BinaryFormatException(
            path,
            "the code signature of "
                + where
                + " (dataoff "
                + dataoff
                + ") is not inside __LINKEDIT ("
                + linkFileoff
                + ".."
                + (linkFileoff + linkFilesize)
                + "): the file is corrupt, so it cannot be re-signed");
      }
      identifier = parsed == null ? "" : parsed.identifier();
      if (parsed != null) {
        byte[] entitlements = parsed.blobs().get(CodeSignature.SLOT_ENTITLEMENTS);
        byte[] der = parsed.blobs().get(CodeSignature.SLOT_DER_ENTITLEMENTS);
        if (entitlements != null) {
          extras.add(entitlements);
        }
        if (der != null) {
          extras.add(der);
        }
      }
    } else {
      if (file.fat()) {
        throw new SliceMustGrow(path);
      }
      dataoff = (linkFileoff + linkFilesize + 15) & ~15L;
      identifier = "";
      ByteBuffer cmd = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      cmd.putInt(LoadCommand.LC_CODE_SIGNATURE).putInt(16).putInt((int) dataoff).putInt(0);
      commands.add(new Command(LoadCommand.LC_CODE_SIGNATURE, cmd.array(), null, -1));
      sigIndex = commands.size() - 1;
    }
    if (identifier.isEmpty()) {
      // codesign names an unnamed image after its file; an empty identifier does not verify.
      identifier = edit.identifier() != null ? edit.identifier() : path.getFileName().toString();
    }
    long needed = CodeSignature.size(identifier, dataoff, extras);
    long datasize = (needed + 15) & ~15L;
    boolean lastSlice =
        file.images().stream().allMatch(other -> other.sliceOffset() <= image.sliceOffset());
    if (file.fat() && oldDatasize >= 0 && !lastSlice) {
      if (datasize > oldDatasize) {
        throw new SliceMustGrow(path);
      }
      datasize = oldDatasize;
    }
    if (dataoff + datasize > MAX_SIGNED_IMAGE) {
      throw new BinaryFormatException(
          path, "cannot sign " + where + ": a signed image must stay below 4 GiB");
    }
    if (file.fat() && lastSlice) {
      // The last slice may grow or shrink: the file ends with it, and fat_arch.size follows.
      long sliceSize = dataoff + datasize;
      if (file.images().size() > 0 && isWideFat(file)) {
        ByteBuffer size = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
        size.putLong(0, sliceSize);
        plan.write(8L + 32L * index + 16, size.array());
      } else {
        ByteBuffer size = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN);
        size.putInt(0, (int) sliceSize);
        plan.write(8L + 20L * index + 12, size.array());
      }
      plan.truncateTo(image.sliceOffset() + sliceSize);
      plan.extendTo(image.sliceOffset() + sliceSize);
    }
    byte[] sigBytes = commands.get(sigIndex).bytes().clone();
    commands.set(sigIndex, withBytes(commands.get(sigIndex), sigBytes));
    MachOImage.le(sigBytes).putInt(12, (int) datasize);
    long newFilesize = dataoff + datasize - linkFileoff;
    long page = image.cputype() == MachOImage.CPU_TYPE_ARM64 ? 0x4000 : 0x1000;
    le.putLong(SEGMENT_FILESIZE, newFilesize);
    le.putLong(SEGMENT_VMSIZE, (newFilesize + page - 1) / page * page);
    if (!file.fat()) {
      long end = dataoff + datasize;
      plan.truncateTo(end);
      plan.extendTo(end);
    }
    ByteBuffer t = MachOImage.le(commands.get(text).bytes());
    jobs.add(
        new SignJob(
            image.sliceOffset(),
            dataoff,
            (int) datasize,
            identifier,
            extras,
            t.getLong(SEGMENT_FILEOFF),
            t.getLong(SEGMENT_FILESIZE),
            image.filetype() == MachOImage.MH_EXECUTE));
  }

  /** {@code segment_command_64} field offsets. */
  private static final int SEGMENT_VMSIZE = 32;

  private static final int SEGMENT_FILEOFF = 40;
  private static final int SEGMENT_FILESIZE = 48;

  /** CodeDirectory's 32-bit codeLimit (no codeLimit64 is written) bounds what can be signed. */
  private static final long MAX_SIGNED_IMAGE = 0xffffffffL;

  private static boolean isWideFat(MachOFile file) throws BinaryFormatException {
    try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
      ByteBuffer magic = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN);
      PositionalRead.readFully(channel, magic, 0);
      return magic.getInt(0) == MachOFile.FAT_MAGIC_64;
    } catch (IOException e) {
      throw new BinaryFormatException(file.path(), "cannot read: " + e.getMessage(), e);
    }
  }

  private static Command withBytes(Command c, byte[] bytes) {
    return new Command(c.cmd(), bytes, c.name(), c.nameOffset());
  }

  private static String segmentName(byte[] command) {
    int end = 8;
    while (end < 24 && command[end] != 0) {
      end++;
    }
    return new String(command, 8, end - 8, StandardCharsets.US_ASCII);
  }

  /** The command with a new name, keeping everything before the name (versions, use flags). */
  static byte[] withName(byte[] command, int nameOffset, String name, int alignment) {
    byte[] text = name.getBytes(StandardCharsets.UTF_8);
    int size = align(nameOffset + text.length + 1, alignment);
    byte[] bytes = new byte[size];
    System.arraycopy(command, 0, bytes, 0, nameOffset);
    System.arraycopy(text, 0, bytes, nameOffset, text.length);
    MachOImage.le(bytes).putInt(4, size);
    return bytes;
  }

  private static Command rpath(String path, int alignment) {
    byte[] text = path.getBytes(StandardCharsets.UTF_8);
    int size = align(12 + text.length + 1, alignment);
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(LoadCommand.LC_RPATH).putInt(size).putInt(12).put(text);
    return new Command(LoadCommand.LC_RPATH, b.array(), path, 12);
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
                image.sliceSize(),
                Integer.toUnsignedLong(sig.getInt(8)),
                Integer.toUnsignedLong(sig.getInt(12)))) {
          problems.add(image.arch() + ": " + p);
        }
      }
    } catch (IOException e) {
      problems.add("cannot read the signature: " + e.getMessage());
    }
    return problems;
  }
}
