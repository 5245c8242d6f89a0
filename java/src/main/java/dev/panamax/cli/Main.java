package dev.panamax.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** Entry point of {@code bin/panamax}: {@code panamax <command> [options]}. */
public final class Main {
    static final String USAGE = """
            Usage: panamax <command> [options]

            Commands:
              train     train a digit classifier (embedded synthetic digits or MNIST), save it, print test accuracy
              predict   classify PNG images with a saved model
              info      print versions, CPU dispatch, thread settings and which backends load
              help      print this text

            Run 'panamax <command> --help' for a command's options.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the process exit code (2 for bad arguments). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("panamax: no command given");
            err.print(USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "train" -> TrainCommand.run(rest, out, err);
            case "predict" -> PredictCommand.run(rest, out, err);
            case "info" -> InfoCommand.run(rest, out, err);
            case "help", "-h", "--help" -> {
                out.print(USAGE);
                yield 0;
            }
            default -> {
                err.println("panamax: unknown command '" + args[0] + "'");
                err.print(USAGE);
                yield 2;
            }
        };
    }
}
