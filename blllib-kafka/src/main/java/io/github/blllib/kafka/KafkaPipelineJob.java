package io.github.blllib.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

import io.github.blllib.Pipeline;

/**
 * A pipeline over Kafka topics: the records of the subscribed topics are the pipeline's input
 * (its stages receive the record values), in poll order; each output goes to a sink, and offsets
 * are committed per partition from {@link io.github.blllib.PipelineRun#position()} only once the
 * sink has confirmed every output before that position: never past what was delivered.
 *
 * <p><b>Threads.</b> A {@code KafkaConsumer} is not thread-safe, so one poll thread owns it and
 * everything around it: polling, pause and resume, rebalance callbacks, sending outputs,
 * publishing dead letters and committing. The pipeline's run is consumed on a run thread of its
 * own, which only pulls outputs and hands them back; the two meet in a bounded read-ahead of
 * records (the poll thread pauses every partition while it is full, and keeps polling, so a stage
 * slower than {@code max.poll.interval.ms} never gets the member evicted) and a queue of outputs.
 * The sink is called on the poll thread: it must return its future without blocking.
 *
 * <p><b>Keys.</b> Each output is sent keyed with the key of the record at its origin: the input
 * index that {@code position()} gives just before the run hands the output over, which SPEC §14
 * makes the earliest input any output not yet handed over depends on, that is the output's own
 * input (a window's: its first item), or an input before it that produced nothing.
 *
 * <p><b>Transactions.</b> With {@link Builder#transactional(boolean) transactional} and a
 * transactional {@code KafkaTemplate}, what each turn of the poll thread sends (outputs and dead
 * letters) and the offsets up to it commit in one Kafka transaction.
 *
 * <p><b>Rebalance.</b> When partitions are revoked the run admits no more input, what it
 * delivered is sent and committed, and it is closed (outputs it had not handed over are not
 * delivered: they are read again, here or by the partitions' new owner); the partitions kept are
 * read again from their first record not committed, in a new run. Lost partitions (the member
 * was evicted) cannot be committed: what was delivered after the last commit is repeated.
 *
 * <p>A stage that fails for good (not skipped) ends the job, after what was delivered is
 * committed; so does a sink that fails, after what was confirmed is committed. See
 * {@code docs/kafka.md}.
 */
public final class KafkaPipelineJob {

	private final String name;

	private final List<String> topics;

	private final ConsumerFactory<?, ?> consumerFactory;

	private final String groupId;

	private final Pipeline<Object, ?> pipeline;

	private final OutputSink sink;

	private final ConsumerAwareRecordRecoverer deadLetterPublisher;

	private final boolean transactional;

	private final int readAhead;

	private final Duration pollTimeout;

	private final Duration closeTimeout;

	private final Duration idleTimeout;

	private final CommitListener commitListener;

	private final JobProgress progress = new JobProgress();

	/** Guarded by this. */
	private KafkaJobState.Status status = KafkaJobState.Status.NEW;

	/** Guarded by this. */
	private Throwable failure;

	/** Guarded by this. */
	private PollLoop loop;

	/** Guarded by this. */
	private Thread pollThread;

	@SuppressWarnings("unchecked")
	private KafkaPipelineJob(Builder builder) {
		this.name = builder.name;
		this.topics = List.copyOf(builder.topics);
		this.consumerFactory = builder.consumerFactory;
		this.groupId = builder.groupId;
		this.pipeline = (Pipeline<Object, ?>) builder.pipeline;
		this.sink = builder.sink;
		this.transactional = builder.transactional;
		this.readAhead = builder.readAhead;
		this.pollTimeout = builder.pollTimeout;
		this.closeTimeout = builder.closeTimeout;
		this.idleTimeout = builder.idleTimeout;
		this.commitListener = builder.commitListener;
		this.deadLetterPublisher = deadLetterPublisher(builder);
	}

	/** A builder of a job named {@code name} (letters, digits, '.', '_', '-'). */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	private static ConsumerAwareRecordRecoverer deadLetterPublisher(Builder builder) {
		KafkaOperations<?, ?> template = (builder.deadLetterTemplate != null) ? builder.deadLetterTemplate
				: (builder.sink instanceof OutputSink.Topic topic) ? topic.template() : null;
		if (template == null) {
			return null;
		}
		String topic = builder.deadLetterTopic;
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
				(record, exception) -> new TopicPartition((topic != null) ? topic : record.topic() + "-dlt",
						record.partition()));
		recoverer.setWaitForSendResultTimeout(builder.closeTimeout);
		return recoverer;
	}

	/** Starts polling; a job starts once. */
	public synchronized void start() {
		if (this.status != KafkaJobState.Status.NEW) {
			throw new IllegalStateException("Kafka job '" + this.name + "' was already started (" + this.status + ")");
		}
		this.loop = new PollLoop(this, this.progress, newConsumer());
		this.pollThread = new Thread(this.loop, "blllib-kafka-" + this.name);
		this.status = KafkaJobState.Status.RUNNING;
		this.pollThread.start();
	}

	@SuppressWarnings("unchecked")
	private Consumer<Object, Object> newConsumer() {
		Properties overrides = new Properties();
		overrides.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		return (Consumer<Object, Object>) this.consumerFactory.createConsumer(this.groupId, null, null, overrides);
	}

	/**
	 * Stops the job: the run admits no more input, what it delivered is sent and committed, and
	 * the consumer leaves its group. Waits up to the close timeout; idempotent.
	 * @return whether the job ended within the timeout
	 */
	public boolean stop() {
		Thread thread;
		synchronized (this) {
			if (this.loop == null) {
				this.status = (this.status == KafkaJobState.Status.NEW) ? KafkaJobState.Status.STOPPED : this.status;
				return true;
			}
			this.loop.stop();
			thread = this.pollThread;
		}
		try {
			thread.join(this.closeTimeout.multipliedBy(2).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return !thread.isAlive();
	}

	/** Whether the job's poll thread runs. */
	public synchronized boolean isRunning() {
		return this.status == KafkaJobState.Status.RUNNING;
	}

	/** Where the job stands; safe from any thread. */
	public synchronized KafkaJobState state() {
		return new KafkaJobState(this.name, this.pipeline.name(), this.status, this.progress.partitions(),
				this.progress.uncommitted.get(), this.progress.commits.get(), this.progress.rebalances.get(),
				(this.failure != null) ? this.failure.toString() : null);
	}

	JobProgress progress() {
		return this.progress;
	}

	/** Why the job failed, else null. */
	public synchronized Throwable failure() {
		return this.failure;
	}

	public String name() {
		return this.name;
	}

	List<String> topics() {
		return this.topics;
	}

	Pipeline<Object, ?> pipeline() {
		return this.pipeline;
	}

	OutputSink sink() {
		return this.sink;
	}

	/** Publishes dead letters; null when the job has no template for them (they are logged). */
	ConsumerAwareRecordRecoverer deadLetterPublisher() {
		return this.deadLetterPublisher;
	}

	boolean transactional() {
		return this.transactional;
	}

	/** Records polled and not yet read by the run at which every partition is paused. */
	public int readAhead() {
		return this.readAhead;
	}

	/** One poll's longest wait. */
	public Duration pollTimeout() {
		return this.pollTimeout;
	}

	/** How long stopping or a rebalance waits for the run and the sink. */
	public Duration closeTimeout() {
		return this.closeTimeout;
	}

	/** How long the topics idle before the run's input ends. */
	public Duration idleTimeout() {
		return this.idleTimeout;
	}

	CommitListener commitListener() {
		return this.commitListener;
	}

	/** The poll thread ended, with {@code failure} or cleanly. */
	synchronized void ended(Throwable failure) {
		this.failure = failure;
		this.status = (failure != null) ? KafkaJobState.Status.FAILED : KafkaJobState.Status.STOPPED;
	}

	/** Builds a {@link KafkaPipelineJob}; {@link #build()} checks the settings. */
	public static final class Builder {

		private final String name;

		private List<String> topics = List.of();

		private ConsumerFactory<?, ?> consumerFactory;

		private String groupId;

		private Pipeline<?, ?> pipeline;

		private OutputSink sink;

		private KafkaOperations<?, ?> deadLetterTemplate;

		private String deadLetterTopic;

		private boolean transactional;

		private int readAhead = 500;

		private Duration pollTimeout = Duration.ofMillis(100);

		private Duration closeTimeout = Duration.ofSeconds(30);

		private Duration idleTimeout = Duration.ofMillis(200);

		private CommitListener commitListener = (offsets) -> {
		};

		private Builder(String name) {
			if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
				throw new IllegalArgumentException(
						"Kafka job name must be letters, digits, '.', '_' or '-', but was '" + name + "'");
			}
			this.name = name;
		}

		/** The topics subscribed to; at least one. */
		public Builder topics(String... topics) {
			return topics(List.of(topics));
		}

		/** The topics subscribed to; at least one. */
		public Builder topics(List<String> topics) {
			this.topics = List.copyOf(topics);
			return this;
		}

		/** Creates the job's consumer; auto-commit is switched off for it. */
		public Builder consumerFactory(ConsumerFactory<?, ?> consumerFactory) {
			this.consumerFactory = Objects.requireNonNull(consumerFactory, "consumerFactory must not be null");
			return this;
		}

		/** The consumer group; by default the consumer factory's {@code group.id}. */
		public Builder groupId(String groupId) {
			this.groupId = groupId;
			return this;
		}

		/**
		 * The pipeline the record values go through. Build it with
		 * {@code .deadLetters(KafkaDeadLetters.handler())} so that skipped items reach the
		 * dead-letter topic.
		 */
		public Builder pipeline(Pipeline<?, ?> pipeline) {
			this.pipeline = Objects.requireNonNull(pipeline, "pipeline must not be null");
			return this;
		}

		/**
		 * Sends each output as a record value to {@code topic}, keyed with the key of the record
		 * it derives from. The template also publishes dead letters unless
		 * {@link #deadLetterTemplate} names another.
		 */
		@SuppressWarnings("unchecked")
		public Builder outputTopic(KafkaOperations<?, ?> template, String topic) {
			Objects.requireNonNull(template, "template must not be null");
			if (topic == null || topic.isBlank()) {
				throw new IllegalArgumentException("Kafka job '" + this.name + "': output topic must not be blank");
			}
			this.sink = new OutputSink.Topic((KafkaOperations<Object, Object>) template, topic);
			return this;
		}

		/** Sends each output through {@code sink}; its future completes once the output is safe. */
		@SuppressWarnings("unchecked")
		public <O> Builder sink(Function<? super O, ? extends CompletableFuture<?>> sink) {
			Objects.requireNonNull(sink, "sink must not be null");
			this.sink = (key, output) -> sink.apply((O) output);
			return this;
		}

		/** Publishes dead letters (original key and value) through this template. */
		public Builder deadLetterTemplate(KafkaOperations<?, ?> template) {
			this.deadLetterTemplate = Objects.requireNonNull(template, "deadLetterTemplate must not be null");
			return this;
		}

		/** The dead-letter topic; by default {@code <record's topic>-dlt}, same partition. */
		public Builder deadLetterTopic(String topic) {
			this.deadLetterTopic = topic;
			return this;
		}

		/**
		 * Whether outputs, dead letters and offsets commit in one Kafka transaction; needs
		 * {@link #outputTopic} with a transactional template.
		 */
		public Builder transactional(boolean transactional) {
			this.transactional = transactional;
			return this;
		}

		/** Records polled and not yet read by the run at which every partition is paused (default 500). */
		public Builder readAhead(int records) {
			this.readAhead = records;
			return this;
		}

		/** How long one poll waits for records (default 100 ms). */
		public Builder pollTimeout(Duration timeout) {
			this.pollTimeout = timeout;
			return this;
		}

		/** How long stopping waits for the run to end and the sink to confirm (default 30 s). */
		public Builder closeTimeout(Duration timeout) {
			this.closeTimeout = timeout;
			return this;
		}

		/**
		 * How long the topics must idle before the run's input ends, the run handing over every
		 * output it holds (default 200 ms): polls of partitions not paused brought no record for
		 * this long and the consumer knows of none left to fetch. The next run starts with the
		 * next record. A window does not span such a pause: windows restart with the next run.
		 */
		public Builder idleTimeout(Duration timeout) {
			this.idleTimeout = timeout;
			return this;
		}

		/** Told of each commit. */
		public Builder commitListener(CommitListener listener) {
			this.commitListener = Objects.requireNonNull(listener, "commitListener must not be null");
			return this;
		}

		public KafkaPipelineJob build() {
			String job = "Kafka job '" + this.name + "': ";
			if (this.topics.isEmpty() || this.topics.stream().anyMatch((topic) -> topic == null || topic.isBlank())) {
				throw new IllegalArgumentException(job + "topics must name at least one topic, and no blank one, but were "
						+ this.topics);
			}
			require(this.consumerFactory != null, job + "a consumerFactory is required");
			require(this.pipeline != null, job + "a pipeline is required");
			require(this.sink != null, job + "an output topic or a sink is required");
			if (this.groupId == null || this.groupId.isBlank()) {
				Object configured = this.consumerFactory.getConfigurationProperties().get(ConsumerConfig.GROUP_ID_CONFIG);
				require(configured != null && !configured.toString().isBlank(),
						job + "a consumer group is required: set group.id on the consumer factory "
								+ "(spring.kafka.consumer.group-id) or groupId on the job");
			}
			if (this.transactional) {
				require(this.sink instanceof OutputSink.Topic topic && topic.template().isTransactional(),
						job + "transactional=true needs an output topic written through a transactional "
								+ "KafkaTemplate (spring.kafka.producer.transaction-id-prefix)");
				require(this.deadLetterTemplate == null || this.deadLetterTemplate == ((OutputSink.Topic) this.sink)
					.template(), job + "transactional=true publishes dead letters in the same transaction, "
							+ "through the output topic's template: no other dead-letter template");
			}
			require(this.readAhead >= 1, job + "readAhead must be at least 1, but was " + this.readAhead);
			requirePositive(this.pollTimeout, job + "pollTimeout");
			requirePositive(this.closeTimeout, job + "closeTimeout");
			requirePositive(this.idleTimeout, job + "idleTimeout");
			if (this.deadLetterTopic != null && this.deadLetterTopic.isBlank()) {
				throw new IllegalArgumentException(job + "deadLetterTopic must not be blank (leave it unset for "
						+ "'<topic>-dlt')");
			}
			return new KafkaPipelineJob(this);
		}

		private static void requirePositive(Duration duration, String what) {
			require(duration != null && !duration.isNegative() && !duration.isZero(),
					what + " must be positive, but was " + duration);
		}

		private static void require(boolean condition, String message) {
			if (!condition) {
				throw new IllegalArgumentException(message);
			}
		}

	}

}
