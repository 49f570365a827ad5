package dev.rollcall.agent.workstation;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link WindowsIdleSource#read()} against stand-ins of user32 and kernel32 (the real calls need Windows): the
 * LASTINPUTINFO struct it passes, the tick arithmetic, the lock check and that every opened desktop is closed.
 */
class WindowsIdleSourceTest {

    /** user32 as the agent uses it: a last-input tick, and an input desktop that can or cannot be switched to. */
    static final class FakeUser32 implements Windows.User32 {
        boolean lastInputFails;
        int lastInputTick;
        int cbSizeSeen = -1;
        long structSize;
        Pointer inputDesktop = new Pointer(0x4711);
        boolean switchable = true;
        final List<String> calls = new ArrayList<>();
        final List<Pointer> closed = new ArrayList<>();

        @Override
        public boolean GetLastInputInfo(Pointer info) {
            cbSizeSeen = info.getInt(0);
            structSize = ((com.sun.jna.Memory) info).size();
            if (lastInputFails || cbSizeSeen != 8) { // Windows refuses a struct whose cbSize is not sizeof(LASTINPUTINFO)
                return false;
            }
            info.setInt(4, lastInputTick);
            return true;
        }

        @Override
        public Pointer OpenInputDesktop(int flags, boolean inherit, int desiredAccess) {
            calls.add("OpenInputDesktop(" + flags + "," + inherit + ",0x" + Integer.toHexString(desiredAccess) + ")");
            return inputDesktop;
        }

        @Override
        public boolean SwitchDesktop(Pointer desktop) {
            calls.add("SwitchDesktop");
            assertThat(desktop).isEqualTo(inputDesktop);
            return switchable;
        }

        @Override
        public boolean CloseDesktop(Pointer desktop) {
            closed.add(desktop);
            return true;
        }
    }

    static final class FakeKernel32 implements Windows.Kernel32 {
        int tick;
        long tick64;
        Long unbiased100ns;
        int unbiasedCalls;

        @Override
        public int GetTickCount() {
            return tick;
        }

        @Override
        public long GetTickCount64() {
            return tick64;
        }

        @Override
        public boolean QueryUnbiasedInterruptTime(LongByReference out) {
            unbiasedCalls++;
            if (unbiased100ns == null) {
                return false;
            }
            out.setValue(unbiased100ns);
            return true;
        }
    }

    final FakeUser32 user32 = new FakeUser32();
    final FakeKernel32 kernel32 = new FakeKernel32();
    final WindowsIdleSource source = new WindowsIdleSource(user32, kernel32);

    @Test
    void theStructSaysItsOwnSizeAndTheIdleTimeIsTheTickDifference() throws IOException {
        user32.lastInputTick = 1_000_000;
        kernel32.tick = 1_000_000 + 90_000;
        IdleSource.Reading r = source.read();
        assertThat(user32.cbSizeSeen).as("LASTINPUTINFO.cbSize").isEqualTo(8);
        assertThat(user32.structSize).as("UINT cbSize + DWORD dwTime").isEqualTo(8);
        assertThat(r.idle()).isEqualTo(Duration.ofSeconds(90));
        assertThat(r.locked()).isFalse();
    }

    @Test
    void cbSizeIsSetAgainOnEveryReadAndTheTickWrapIsHandled() throws IOException {
        user32.lastInputTick = (int) 0xFFFF_FF00L; // 256 ms before the 49.7-day wrap
        kernel32.tick = 0x0000_0100;                 // 256 ms after it
        assertThat(source.read().idle()).isEqualTo(Duration.ofMillis(512));
        user32.lastInputTick = 0x0000_0100;
        assertThat(source.read().idle()).isEqualTo(Duration.ZERO);
        assertThat(user32.cbSizeSeen).isEqualTo(8);
    }

    @Test
    void aFailedGetLastInputInfoIsAnErrorNotAnIdleTime() {
        user32.lastInputFails = true;
        assertThatThrownBy(source::read).isInstanceOf(IOException.class).hasMessageContaining("GetLastInputInfo failed");
        assertThat(user32.calls).as("no lock check without an idle time").isEmpty();
    }

    @Test
    void anInputDesktopThatCanBeSwitchedToIsUnlockedAndIsClosedAfter() throws IOException {
        assertThat(source.read().locked()).isFalse();
        assertThat(user32.calls).containsExactly("OpenInputDesktop(0,false,0x100)", "SwitchDesktop");
        assertThat(user32.closed).containsExactly(user32.inputDesktop);
    }

    @Test
    void theLockScreenIsLockedWhetherTheDesktopCannotBeOpenedOrCannotBeSwitchedTo() throws IOException {
        user32.switchable = false; // Winlogon's desktop in front: lock screen, Ctrl+Alt+Del
        assertThat(source.read().locked()).isTrue();
        assertThat(user32.closed).as("closed even when locked").containsExactly(user32.inputDesktop);

        user32.inputDesktop = null; // OpenInputDesktop fails (access denied on the secure desktop)
        assertThat(source.read().locked()).isTrue();
        assertThat(user32.closed).as("nothing to close").hasSize(1);
    }

    @Test
    void manyReadsCloseEveryHandleTheyOpen() throws IOException {
        for (int i = 0; i < 100; i++) {
            user32.switchable = i % 3 != 0;
            source.read();
        }
        assertThat(user32.calls.stream().filter(c -> c.startsWith("OpenInputDesktop"))).hasSize(100);
        assertThat(user32.closed).hasSize(100);
    }
}
