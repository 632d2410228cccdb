package io.dic4j.cli;

/** The exit codes every command returns besides 0: one set, so that scripts can tell failures from misuse. */
final class ExitCodes {

    /** The work failed, or some of its inputs did (they are named on stderr). */
    static final int FAILED = 1;
    /** The command line or an option file is wrong; nothing was done. */
    static final int USAGE = 2;

    private ExitCodes() {}
}
