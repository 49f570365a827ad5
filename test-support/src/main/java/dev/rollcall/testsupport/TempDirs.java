package dev.rollcall.testsupport;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temporary directories that the test JVM removes, with everything in them, when it exits: for tests that cannot use
 * JUnit's {@code @TempDir} (a static helper of a Quarkus test, a directory a class's tests share, a process started
 * from a test that outlives it). Tests write agent credentials, enrollment keys and TLS keys into them; without this
 * each run of the suite left some forty such directories in {@code /tmp}. Only the JDK, so that any module's tests can
 * use it.
 */
public final class TempDirs {

    private static final Set<Path> CREATED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("rollcall-temp-dirs").unstarted(TempDirs::deleteAll));
    }

    private TempDirs() {
    }

    /** A new directory in the system's temporary directory (owner only), removed when the JVM exits. */
    public static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        CREATED.add(dir);
        return dir;
    }

    /** Removes every directory {@link #create} made and is still there; what cannot be removed is left, silently. */
    static void deleteAll() {
        for (Path dir : CREATED) {
            try {
                deleteTree(dir);
                CREATED.remove(dir);
            } catch (IOException e) {
                // at exit there is no one to tell: the directory stays, as it would have without this
            }
        }
    }

    /** Removes a directory and everything in it; a file that went away meanwhile is no error. */
    public static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            Files.walkFileTree(dir, REMOVER);
        }
    }

    /**
     * Made when the class is: the hook may run after the class loader that loaded this class was closed (a Quarkus
     * test's), when it could no longer load a class it had not loaded yet.
     */
    private static final FileVisitor<Path> REMOVER = new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
            }
            throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
                throw e;
            }
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
        }
    };
}
