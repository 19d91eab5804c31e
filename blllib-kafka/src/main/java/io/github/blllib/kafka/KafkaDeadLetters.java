package io.github.blllib.kafka;

import io.github.blllib.DeadLetterHandler;
import io.github.blllib.FailedItem;

/**
 * The dead-letter handler of pipelines that a {@link KafkaPipelineJob} runs: an item skipped
 * while the job consumes the pipeline goes to the job, which publishes its record to the
 * dead-letter topic. Build the pipeline with {@code .deadLetters(KafkaDeadLetters.handler())}
 * (the starter does); elsewhere, skipped items are logged at WARN as by default.
 *
 * <p>It relies on {@link DeadLetterHandler}'s contract that skipped items arrive on the thread
 * consuming the run, which for a job is the job's own run thread.
 */
public final class KafkaDeadLetters implements DeadLetterHandler {

	private static final System.Logger logger = System.getLogger(KafkaDeadLetters.class.getName());

	private static final KafkaDeadLetters INSTANCE = new KafkaDeadLetters();

	/** The job run consumed on this thread, if any. */
	private static final ThreadLocal<DeadLetterHandler> routes = new ThreadLocal<>();

	private KafkaDeadLetters() {
	}

	/** The handler to build a job's pipeline with. */
	public static DeadLetterHandler handler() {
		return INSTANCE;
	}

	@Override
	public void accept(FailedItem item) {
		DeadLetterHandler route = routes.get();
		if (route != null) {
			route.accept(item);
		}
		else {
			logger.log(System.Logger.Level.WARNING, "Stage '" + item.stage() + "' of pipeline '" + item.pipeline()
					+ "' skipped input #" + item.index() + " outside a Kafka job after " + item.attempts()
					+ " attempt(s): " + item.failureDescription());
		}
	}

	static void route(DeadLetterHandler handler) {
		routes.set(handler);
	}

	static void unroute() {
		routes.remove();
	}

}
