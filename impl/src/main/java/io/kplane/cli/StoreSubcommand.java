package io.kplane.cli;

/** Registers {@code kplane store}. */
public final class StoreSubcommand implements KplaneSubcommand {
    @Override
    public Object command() {
        return new StoreCommand();
    }

    @Override
    public int order() {
        return 20;
    }
}
