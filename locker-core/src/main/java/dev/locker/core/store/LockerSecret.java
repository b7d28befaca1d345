package dev.locker.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * The locker's own secret: 32 random bytes created at first start, kept in a file only its owner
 * may read (mode 0600), used as the HMAC key of pickup codes. It is never logged and never leaves
 * the device; losing it makes every active code unusable, which is why it is written atomically
 * (temporary file, fsync, rename, fsync of the folder).
 */
public final class LockerSecret {
  public static final int LENGTH = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private LockerSecret() {}

  /** Reads the secret at {@code file}, creating it first when there is none. */
  public static byte[] loadOrCreate(Path file, SecureRandom random) throws IOException {
    if (!Files.exists(file)) {
      create(file, random);
    }
    if (Files.getFileStore(file).supportsFileAttributeView("posix")
        && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
      throw new IOException(
          "secret file "
              + file
              + " must be readable by its owner only (chmod 600), is "
              + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
    byte[] secret = Files.readAllBytes(file);
    if (secret.length != LENGTH) {
      throw new IOException(
          "secret file " + file + " holds " + secret.length + " bytes, expected " + LENGTH);
    }
    return secret;
  }

  private static void create(Path file, SecureRandom random) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    byte[] secret = new byte[LENGTH];
    random.nextBytes(secret);
    Path temp = folder.resolve(file.getFileName() + ".new");
    Files.deleteIfExists(temp);
    boolean posix = Files.getFileStore(folder).supportsFileAttributeView("posix");
    if (posix) {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createFile(temp);
    }
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(secret));
      channel.force(true);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(temp);
      throw new IOException("could not put the new secret in place at " + file, e);
    }
    try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException ignored) {
      // Some file systems cannot fsync a folder; the rename is still atomic.
    }
  }
}
