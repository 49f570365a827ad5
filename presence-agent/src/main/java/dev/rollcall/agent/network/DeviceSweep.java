package dev.rollcall.agent.network;

import java.io.IOException;
import java.util.List;

/** One way of asking the local network who is there. */
public interface DeviceSweep {

    /** Scans once and returns the devices that answered. May take seconds (it waits for answers). */
    List<Sighting> scan() throws IOException, InterruptedException;

    /** How it scans, for the log. */
    String describe();
}
