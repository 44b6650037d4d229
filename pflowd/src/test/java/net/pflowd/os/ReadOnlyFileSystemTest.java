package net.pflowd.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.pflowd.testutil.NetNs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Privileged: a read-only tmpfs mounted for the test on its own temporary directory (as Docker mounts /proc/sys)
 * and unmounted at the end.
 */
class ReadOnlyFileSystemTest {
    @Test
    void aWritableOrMissingFileIsNotOnAReadOnlyFileSystem(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThat(ReadOnlyFileSystem.holds(file)).isFalse();
        assertThat(ReadOnlyFileSystem.holds(dir.resolve("missing"))).isFalse(); // ENOENT is not EROFS
    }

    @Test
    void aReadOnlyMountIsToldByErrnoWhereTheWriteFails(@TempDir Path dir) throws Exception {
        Path mount = Files.createDirectory(dir.resolve("ro"));
        assertThat(NetNs.runCommand(List.of("mount", "-t", "tmpfs", "-o", "ro,size=64k", "pflowd-test", mount.toString()))
                .exitCode()).isZero();
        try {
            Path file = mount.resolve("f");
            FileSystemException refused = null;
            try {
                Files.writeString(file, "x");
            } catch (FileSystemException e) {
                refused = e;
            }
            assertThat(refused).isNotNull().isNotInstanceOf(AccessDeniedException.class);
            assertThat(ReadOnlyFileSystem.holds(mount)).isTrue();
        } finally {
            assertThat(NetNs.runCommand(List.of("umount", mount.toString())).exitCode()).isZero();
        }
        assertThat(ReadOnlyFileSystem.holds(mount)).isFalse();
    }
}
