package io.github.blllib;

import java.util.concurrent.CompletionStage;

/**
 * One step of a {@link Pipeline} that hands back a future instead of blocking: for stages that
 * wait on I/O through a non-blocking client (an HTTP client's {@code sendAsync}, WebClient,
 * R2DBC, an async Kafka producer). Added with {@link StageSpec#async(String, AsyncStage)} or
 * {@link StageSpec#asyncWindow(String, int, AsyncStage)}; at most the stage's batch size of
 * futures are outstanding, and no thread waits for them.
 *
 * <p>{@code apply} is called on the thread that consumes the pipeline's output, one input at a
 * time and in input order, so it must not block: start the call and return its future. A
 * future that completes with {@code null} drops the item; one that completes exceptionally (or
 * an {@code apply} that throws) is a failure of the item, subject to the stage's failure policy.
 * Futures still outstanding when the run ends, fails or is closed are cancelled.
 *
 * @param <I> input type
 * @param <O> output type
 */
@FunctionalInterface
public interface AsyncStage<I, O> {

	CompletionStage<O> apply(I input) throws Exception;

}
