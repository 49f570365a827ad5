package dev.rollcall.agent.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that survive a crash whole or not at all: write to a temporary name, fsync it, rename it atomically
 * over the final name, fsync the directory. A reader then sees either the old content or the new, never a torn
 * file; a {@code kill -9} at any point leaves at worst a temporary file, which {@link Outbox#open} deletes.
 */
public final class DurableFiles {

    static final String TEMP_PREFIX = ".tmp-";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private DurableFiles() {
    }

    /** Writes {@code data} to {@code target} atomically and durably (including the directory entry). */
    public static void writeAtomically(Path target, byte[] data) throws IOException {
        Path temp = writeTemp(target, data);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Writes and fsyncs a temporary sibling of {@code target}; the caller renames it. */
    static Path writeTemp(Path target, byte[] data) throws IOException {
        Path temp = target.resolveSibling(TEMP_PREFIX + target.getFileName());
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        return temp;
    }

    /**
     * Makes renames and deletions in {@code dir} durable. Linux needs this; Windows cannot open a directory
     * as a file and journals renames itself, so there it is a no-op.
     */
    public static void syncDirectory(Path dir) throws IOException {
        if (!POSIX) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Creates {@code dir} (and parents) readable by its owner only: events name devices, which is personal data. */
    public static Path createPrivateDirectory(Path dir) throws IOException {
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } else {
            Files.createDirectories(dir);
        }
        return dir;
    }
}
