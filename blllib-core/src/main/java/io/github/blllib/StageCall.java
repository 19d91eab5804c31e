package io.github.blllib;

/**
 * A stage call executing now, as {@link Pipeline#runningCalls()} reports it: for a shutdown that
 * gives up waiting, or a stage that seems stuck.
 *
 * @param pipeline the pipeline's name
 * @param stage the stage's name, or {@code consumer} for the in-master stages the consuming
 * thread runs
 * @param thread the name of the thread running it
 * @param index the input's position in that stage's input, -1 when not known
 */
public record StageCall(String pipeline, String stage, String thread, long index) {
}
