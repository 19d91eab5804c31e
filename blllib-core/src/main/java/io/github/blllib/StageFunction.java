package io.github.blllib;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a {@link StageSpec} calls: a {@link Stage}, whose {@code apply} returns the output, or an
 * {@link AsyncStage}, whose {@code apply} returns a future of it. One reference instead of two
 * nullable ones: a reader switches over the two records.
 *
 * @param <O> output type
 */
public sealed interface StageFunction<O> extends Serializable {

	/** The user's object: the {@link Stage} or the {@link AsyncStage}. */
	Object instance();

	/** A {@link Stage}: called on a stage thread (or the consuming thread in master). */
	record Blocking<O>(Stage<?, O> stage) implements StageFunction<O> {

		public Blocking {
			Objects.requireNonNull(stage, "stage must not be null");
		}

		@Override
		public Object instance() {
			return this.stage;
		}

	}

	/** An {@link AsyncStage}: called on the consuming thread, its futures awaited by no thread. */
	record Async<O>(AsyncStage<?, O> stage) implements StageFunction<O> {

		public Async {
			Objects.requireNonNull(stage, "stage must not be null");
		}

		@Override
		public Object instance() {
			return this.stage;
		}

	}

}
