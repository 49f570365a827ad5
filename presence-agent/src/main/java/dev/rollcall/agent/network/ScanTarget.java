package dev.rollcall.agent.network;

/** A subnet and the local interface whose link it is on (ARP only ever sees the local link). */
public record ScanTarget(Subnet subnet, String interfaceName) {

    @Override
    public String toString() {
        return subnet + " on " + interfaceName;
    }
}
