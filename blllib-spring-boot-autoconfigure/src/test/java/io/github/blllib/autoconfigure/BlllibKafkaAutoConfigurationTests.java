package io.github.blllib.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.blllib.PipelineFactory;
import io.github.blllib.Stage;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint;
import io.github.blllib.kafka.KafkaJobState;
import io.github.blllib.kafka.KafkaPipelineJob;
import io.github.blllib.kafka.KafkaPipelineJobMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BlllibKafkaAutoConfiguration}: when it backs off, how {@code blllib.kafka.*}
 * binds, and which bad values fail start-up naming their key. Jobs here do not start (they need
 * no broker); {@code KafkaJobEndpointTests} runs one.
 */
class BlllibKafkaAutoConfigurationTests {

	private static final String JOB = "blllib.kafka.jobs.orders.";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class,
				KafkaAutoConfiguration.class, BlllibKafkaAutoConfiguration.class,
				BlllibEndpointAutoConfiguration.class))
		.withUserConfiguration(StagesConfiguration.class)
		.withPropertyValues("blllib.n-cpu=1", "spring.kafka.consumer.group-id=orders-group",
				"blllib.pipelines.enrich.stages=upper");

	private final ApplicationContextRunner jobRunner = this.contextRunner.withPropertyValues(JOB + "topics=orders",
			JOB + "pipeline=enrich", JOB + "output-topic=enriched", JOB + "auto-startup=false");

	@Test
	void autoConfigurationWhenSpringKafkaIsAbsentShouldBackOff() {
		this.jobRunner.withClassLoader(new FilteredClassLoader(KafkaTemplate.class)).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(PipelineFactory.class);
			assertThat(context).doesNotHaveBean(ConfiguredKafkaJobs.class).doesNotHaveBean(KafkaJobLifecycle.class);
		});
	}

	@Test
	void autoConfigurationWhenBlllibKafkaIsAbsentShouldBackOff() {
		this.jobRunner.withClassLoader(new FilteredClassLoader(KafkaPipelineJob.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(PipelineFactory.class)
				.doesNotHaveBean(ConfiguredKafkaJobs.class));
	}

	@Test
	void starterWithoutAnyKafkaClassShouldStartAndItsEndpointShowNoJob() {
		this.jobRunner
			.withClassLoader(
					new FilteredClassLoader("org.springframework.kafka", "org.apache.kafka", "io.github.blllib.kafka"))
			.withPropertyValues("management.endpoints.web.exposure.include=blllib")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ConfiguredKafkaJobs.class);
				assertThat(context.getBean(BlllibEndpoint.class).blllib().kafkaJobs()).isEmpty();
			});
	}

	@Test
	void eachJobShouldHaveALifecycleBeanWithItsPropertiesBound() {
		this.jobRunner.withPropertyValues("blllib.kafka.jobs.audit.topics=a,b", "blllib.kafka.jobs.audit.pipeline=enrich",
				"blllib.kafka.jobs.audit.output-topic=audited", "blllib.kafka.jobs.audit.dead-letter-topic=audit-dead",
				"blllib.kafka.jobs.audit.group-id=auditors", "blllib.kafka.jobs.audit.auto-startup=false",
				"blllib.kafka.jobs.audit.read-ahead=64", "blllib.kafka.jobs.audit.poll-timeout=250ms",
				"blllib.kafka.jobs.audit.idle-timeout=1s", "blllib.kafka.jobs.audit.close-timeout=5s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeansOfType(KafkaJobLifecycle.class)).containsOnlyKeys("blllibKafkaJob.orders",
						"blllibKafkaJob.audit");
				BlllibKafkaProperties.Job audit = context.getBean(BlllibKafkaProperties.class).getJobs().get("audit");
				assertThat(audit.getTopics()).containsExactly("a", "b");
				assertThat(audit.getDeadLetterTopic()).isEqualTo("audit-dead");
				assertThat(audit.getGroupId()).isEqualTo("auditors");
				assertThat(audit.isTransactional()).isFalse();
				assertThat(audit.getReadAhead()).isEqualTo(64);
				assertThat(audit.getPollTimeout()).isEqualTo(Duration.ofMillis(250));
				assertThat(audit.getIdleTimeout()).isEqualTo(Duration.ofSeconds(1));
				assertThat(audit.getCloseTimeout()).isEqualTo(Duration.ofSeconds(5));
				KafkaJobLifecycle orders = context.getBean("blllibKafkaJob.orders", KafkaJobLifecycle.class);
				assertThat(orders.isAutoStartup()).isFalse();
				assertThat(orders.isRunning()).isFalse();
				assertThat(orders.state()).isEqualTo(new KafkaJobState("orders", "enrich", KafkaJobState.Status.NEW,
						List.of(), 0, 0, 0, null));
			});
	}

	@Test
	void jobsShouldStopBeforeThePipelinesClose() {
		this.jobRunner.run((context) -> {
			SmartLifecycle job = context.getBean("blllibKafkaJob.orders", KafkaJobLifecycle.class);
			assertThat(job.getPhase()).isEqualTo(AbstractMessageListenerContainer.DEFAULT_PHASE)
				.isGreaterThan(OpenPipelines.PHASE);
		});
	}

	@Test
	void transactionalShouldDefaultToFalseAndAutoStartupToTrue() {
		BlllibKafkaProperties.Job job = new BlllibKafkaProperties.Job();
		assertThat(job.isTransactional()).isFalse();
		assertThat(job.isAutoStartup()).isTrue();
		assertThat(job.getDeadLetterTopic()).isNull();
	}

	@Test
	void endpointShouldShowEachJobWithItsPipeline() {
		this.jobRunner.withPropertyValues("management.endpoints.web.exposure.include=blllib").run((context) -> {
			assertThat(context.getBean(BlllibEndpoint.class).blllib().kafkaJobs()).singleElement().satisfies((job) -> {
				assertThat(job.name()).isEqualTo("orders");
				assertThat(job.pipeline()).isEqualTo("enrich");
				assertThat(job.status()).isEqualTo("NEW");
				assertThat(job.partitions()).isEmpty();
			});
		});
	}

	@Test
	void metersShouldWaitForTheJobToStart() {
		this.jobRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(KafkaJobMeters.class);
			assertThat(context.getBean(MeterRegistry.class).find(KafkaPipelineJobMetrics.COMMITS).meters()).isEmpty();
		});
	}

	@Test
	void metersShouldBackOffWithoutAMeterRegistry() {
		this.jobRunner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaJobMeters.class));
	}

	@Test
	void readAheadBelowOneShouldFailNamingTheKey() {
		this.jobRunner.withPropertyValues(JOB + "read-ahead=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo(JOB + "read-ahead");
					assertThat(ex.getReason()).contains("at least 1");
				}));
	}

	@Test
	void timeoutsThatAreNotPositiveShouldFailNamingTheKey() {
		for (String timeout : List.of("poll-timeout=0ms", "idle-timeout=-1s", "close-timeout=0s")) {
			this.jobRunner.withPropertyValues(JOB + timeout)
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
						assertThat(ex.getName()).isEqualTo(JOB + timeout.substring(0, timeout.indexOf('=')));
						assertThat(ex.getReason()).contains("a positive duration");
					}));
		}
	}

	@Test
	void jobWithoutTopicsShouldFailNamingTheKey() {
		this.contextRunner.withPropertyValues(JOB + "pipeline=enrich", JOB + "output-topic=enriched")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(BlllibConfigurationException.class,
						(ex) -> assertThat(ex.getProperty()).isEqualTo(JOB + "topics")));
	}

	@Test
	void jobWithABlankTopicShouldFailNamingTheKey() {
		this.jobRunner.withPropertyValues(JOB + "topics=orders, ")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
						(ex) -> assertThat(ex.getName()).isEqualTo(JOB + "topics")));
	}

	@Test
	void unknownPipelineShouldFailNamingTheKeyAndTheKnownPipelines() {
		this.jobRunner.withPropertyValues(JOB + "pipeline=enrichment", "blllib.pipelines.audit.stages=upper")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo(JOB + "pipeline");
					assertThat(ex.getValue()).isEqualTo("enrichment");
					assertThat(ex.getReason()).contains("audit, enrich");
				}));
	}

	@Test
	void jobWithoutPipelineShouldFailNamingTheKey() {
		this.contextRunner.withPropertyValues(JOB + "topics=orders", JOB + "output-topic=enriched")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(BlllibConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo(JOB + "pipeline");
					assertThat(ex.getAllowedValues()).contains("enrich");
				}));
	}

	@Test
	void jobWithoutOutputTopicShouldFailNamingTheKey() {
		this.contextRunner.withPropertyValues(JOB + "topics=orders", JOB + "pipeline=enrich")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(BlllibConfigurationException.class,
						(ex) -> assertThat(ex.getProperty()).isEqualTo(JOB + "output-topic")));
	}

	@Test
	void transactionalWithoutATransactionalProducerFactoryShouldFailNamingTheKey() {
		this.jobRunner.withPropertyValues(JOB + "transactional=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo(JOB + "transactional");
					assertThat(ex.getReason()).contains("spring.kafka.producer.transaction-id-prefix");
				}));
	}

	@Test
	void transactionalWithATransactionalProducerFactoryShouldStart() {
		this.jobRunner.withPropertyValues(JOB + "transactional=true", "spring.kafka.producer.transaction-id-prefix=tx-")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(KafkaJobLifecycle.class));
	}

	@Test
	void nonTransactionalJobWithATransactionalProducerFactoryShouldFailNamingTheKey() {
		this.jobRunner.withPropertyValues("spring.kafka.producer.transaction-id-prefix=tx-")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
						(ex) -> assertThat(ex.getName()).isEqualTo(JOB + "transactional")));
	}

	@Test
	void jobWithoutAConsumerGroupShouldFailNamingTheKey() {
		this.jobRunner.withPropertyValues("spring.kafka.consumer.group-id=")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(BlllibConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo(JOB + "group-id");
					assertThat(ex.getAllowedValues()).contains("spring.kafka.consumer.group-id");
				}));
	}

	@Test
	void badJobNameShouldFailNamingTheJobs() {
		this.contextRunner
			.withPropertyValues("blllib.kafka.jobs[or ders].topics=orders", "blllib.kafka.jobs[or ders].pipeline=enrich",
					"blllib.kafka.jobs[or ders].output-topic=enriched")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(BlllibConfigurationException.class,
						(ex) -> assertThat(ex.getProperty()).isEqualTo("blllib.kafka.jobs")));
	}

	@Configuration(proxyBeanMethods = false)
	static class StagesConfiguration {

		@Bean
		Stage<String, String> upper() {
			return String::toUpperCase;
		}

	}

}
