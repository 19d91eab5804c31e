package io.github.blllib.kafka;

import java.util.concurrent.CompletableFuture;

import org.springframework.kafka.core.KafkaOperations;

/** Where a job's outputs go: a future per output, complete once the output is safely there. */
@FunctionalInterface
interface OutputSink {

	/**
	 * Sends one output.
	 * @param key the key of the record the output derives from
	 * @param output the output
	 */
	CompletableFuture<?> send(Object key, Object output);

	/** A topic written through a {@link KafkaOperations} (a {@code KafkaTemplate}). */
	record Topic(KafkaOperations<Object, Object> template, String topic) implements OutputSink {

		@Override
		public CompletableFuture<?> send(Object key, Object output) {
			return this.template.send(this.topic, key, output);
		}

		/** The same topic through {@code operations}, as inside a transaction. */
		void send(KafkaOperations<Object, Object> operations, Object key, Object output) {
			operations.send(this.topic, key, output);
		}

	}

}
