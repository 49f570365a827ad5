package dev.rollcall.agent.workstation;

/** No idle source works here: the message says what was tried and what would work. Exit code 3. */
public final class UnsupportedDesktopException extends RuntimeException {

    public UnsupportedDesktopException(String message) {
        super(message);
    }
}
