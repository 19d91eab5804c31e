package io.github.blllib.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Kafka jobs of blllib: pipelines of {@code blllib.pipelines.*} over Kafka topics, each started
 * and stopped with the application context. Spring Boot's own {@code spring.kafka.*} properties
 * configure the clients (bootstrap servers, group id, serializers).
 */
@ConfigurationProperties("blllib.kafka")
public class BlllibKafkaProperties {

	/**
	 * Kafka jobs, keyed by job name (letters, digits, '.', '_', '-'): each reads 'topics' (a
	 * list), runs the record values through 'pipeline' (a pipeline of 'blllib.pipelines') and
	 * sends the outputs to 'output-topic'; 'dead-letter-topic' (default '<topic>-dlt'),
	 * 'transactional' (default false), 'group-id' (default 'spring.kafka.consumer.group-id'),
	 * 'auto-startup' (default true), 'read-ahead' (default 500), 'poll-timeout' (default 100ms),
	 * 'idle-timeout' (default 200ms) and 'close-timeout' (default 30s).
	 */
	private final Map<String, Job> jobs = new LinkedHashMap<>();

	public Map<String, Job> getJobs() {
		return this.jobs;
	}

	/**
	 * One Kafka job.
	 */
	public static class Job {

		/**
		 * Topics the job subscribes to; at least one.
		 */
		private List<String> topics = new ArrayList<>();

		/**
		 * Name of a pipeline declared under 'blllib.pipelines'; its stages receive the record
		 * values.
		 */
		private String pipeline;

		/**
		 * Topic each output is sent to as a value, keyed with the key of the record it derives
		 * from, through Spring Boot's KafkaTemplate.
		 */
		private String outputTopic;

		/**
		 * Topic of the records whose items a stage skipped. Defaults to '<topic>-dlt' (same
		 * partition), with Spring Kafka's dead-letter headers.
		 */
		private String deadLetterTopic;

		/**
		 * Whether outputs, dead letters and offsets commit in one Kafka transaction (exactly once
		 * for a read_committed reader). Needs a transactional producer factory
		 * ('spring.kafka.producer.transaction-id-prefix').
		 */
		private boolean transactional = false;

		/**
		 * Consumer group of the job. Defaults to 'spring.kafka.consumer.group-id'.
		 */
		private String groupId;

		/**
		 * Whether the job starts with the application context. When false, start it through its
		 * lifecycle bean 'blllibKafkaJob.<job>'.
		 */
		private boolean autoStartup = true;

		/**
		 * Records polled and not yet read by the run at which every partition is paused (also
		 * paused while as many delivered records await the sink, or four times as many their
		 * commit). Defaults to 500.
		 */
		private Integer readAhead;

		/**
		 * Longest wait of one poll. Defaults to 100ms.
		 */
		private Duration pollTimeout;

		/**
		 * How long the topics must idle before the run's input ends and all it holds is sent and
		 * committed. Defaults to 200ms.
		 */
		private Duration idleTimeout;

		/**
		 * How long stopping or a rebalance waits for the run and the sink. Defaults to 30s.
		 */
		private Duration closeTimeout;

		public List<String> getTopics() {
			return this.topics;
		}

		public void setTopics(List<String> topics) {
			this.topics = topics;
		}

		public String getPipeline() {
			return this.pipeline;
		}

		public void setPipeline(String pipeline) {
			this.pipeline = pipeline;
		}

		public String getOutputTopic() {
			return this.outputTopic;
		}

		public void setOutputTopic(String outputTopic) {
			this.outputTopic = outputTopic;
		}

		public String getDeadLetterTopic() {
			return this.deadLetterTopic;
		}

		public void setDeadLetterTopic(String deadLetterTopic) {
			this.deadLetterTopic = deadLetterTopic;
		}

		public boolean isTransactional() {
			return this.transactional;
		}

		public void setTransactional(boolean transactional) {
			this.transactional = transactional;
		}

		public String getGroupId() {
			return this.groupId;
		}

		public void setGroupId(String groupId) {
			this.groupId = groupId;
		}

		public boolean isAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public Integer getReadAhead() {
			return this.readAhead;
		}

		public void setReadAhead(Integer readAhead) {
			this.readAhead = readAhead;
		}

		public Duration getPollTimeout() {
			return this.pollTimeout;
		}

		public void setPollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public Duration getCloseTimeout() {
			return this.closeTimeout;
		}

		public void setCloseTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
		}

	}

}
