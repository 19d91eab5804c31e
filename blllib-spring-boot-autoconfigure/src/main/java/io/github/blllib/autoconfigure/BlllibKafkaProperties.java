package io.github.blllib.autoconfigure;

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
	 * 'transactional' (default false), 'group-id' (default 'spring.kafka.consumer.group-id') and
	 * 'auto-startup' (default true).
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

	}

}
