package io.github.blllib.autoconfigure;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;

import io.github.blllib.BlllibStage;
import io.github.blllib.DedicatedExecutorFactory;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.Stage;
import io.github.blllib.StageSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BlllibAutoConfiguration}: stage settings, executors and back-off.
 */
class BlllibAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class));

	@Test
	void stageBeanWithoutAnnotationShouldBeStatefulWithDefaultSettings() {
		this.contextRunner.withUserConfiguration(PlainStageConfiguration.class)
			.run((context) -> assertThat(context.getBean(StageCatalog.class).stages().get("plain"))
				.isEqualTo(StageSettings.of("plain", "true", 1, false)));
	}

	@Test
	void stageSettingsShouldComeFromAnnotationOnStageClass() {
		this.contextRunner.withUserConfiguration(AnnotatedStagesConfiguration.class)
			.run((context) -> assertThat(context.getBean(StageCatalog.class).stages().get("pairSum"))
				.isEqualTo(StageSettings.of("pairSum", "2", 4, false)));
	}

	@Test
	void stageSettingsShouldComeFromAnnotationOnBeanMethod() {
		this.contextRunner.withUserConfiguration(AnnotatedStagesConfiguration.class)
			.run((context) -> assertThat(context.getBean(StageCatalog.class).stages().get("square"))
				.isEqualTo(StageSettings.of("square", "false", 3, true)));
	}

	@Test
	void stageSettingsShouldComeFromRuntimeClassWhenBeanMethodDeclaresInterface() {
		this.contextRunner.withUserConfiguration(AnnotatedStagesConfiguration.class)
			.run((context) -> assertThat(context.getBean(StageCatalog.class).stages().get("hiddenPairSum").window())
				.isEqualTo(2));
	}

	@Test
	void statefulPropertyShouldOverrideAnnotationAndKeepItsOtherSettings() {
		this.contextRunner.withUserConfiguration(AnnotatedStagesConfiguration.class)
			.withPropertyValues("blllib.stages.pairSum.stateful=false")
			.run((context) -> assertThat(context.getBean(StageCatalog.class).stages().get("pairSum"))
				.isEqualTo(StageSettings.of("pairSum", "false", 4, false)));
	}

	@Test
	void batchSizePropertyShouldOverrideAnnotationAndKeepItsOtherSettings() {
		this.contextRunner.withUserConfiguration(AnnotatedStagesConfiguration.class)
			.withPropertyValues("blllib.stages.pairSum.batch-size=9")
			.run((context) -> assertThat(context.getBean(StageCatalog.class).stages().get("pairSum"))
				.isEqualTo(StageSettings.of("pairSum", "2", 9, false)));
	}

	@Test
	void runInMasterPropertyShouldOverrideAnnotationAndKeepItsOtherSettings() {
		this.contextRunner.withUserConfiguration(AnnotatedStagesConfiguration.class)
			.withPropertyValues("blllib.stages.square.run-in-master=false")
			.run((context) -> assertThat(context.getBean(StageCatalog.class).stages().get("square"))
				.isEqualTo(StageSettings.of("square", "false", 3, false)));
	}

	@Test
	void stagePropertiesShouldApplyToStageWithoutAnnotation() {
		this.contextRunner.withUserConfiguration(PlainStageConfiguration.class)
			.withPropertyValues("blllib.stages.plain.stateful=3", "blllib.stages.plain.batch-size=5",
					"blllib.stages.plain.run-in-master=true")
			.run((context) -> assertThat(context.getBean(StageCatalog.class).stages().get("plain"))
				.isEqualTo(StageSettings.of("plain", "3", 5, true)));
	}

	@Test
	void stagePropertyKeyInDashedFormShouldApplyToCamelCaseBeanName() {
		this.contextRunner.withUserConfiguration(AnnotatedStagesConfiguration.class)
			.withPropertyValues("blllib.stages.pair-sum.batch-size=7")
			.run((context) -> assertThat(context.getBean(StageCatalog.class).stages().get("pairSum").batchSize())
				.isEqualTo(7));
	}

	@Test
	void statefulPlaceholderInAnnotationShouldBeResolvedFromEnvironment() {
		this.contextRunner.withUserConfiguration(PlaceholderStageConfiguration.class)
			.withPropertyValues("test.window=5")
			.run((context) -> assertThat(context.getBean(StageCatalog.class).stages().get("placeholderWindow"))
				.isEqualTo(StageSettings.of("placeholderWindow", "5", 1, false)));
	}

	@Test
	void catalogShouldNameEveryStageBean() {
		this.contextRunner.withUserConfiguration(AnnotatedStagesConfiguration.class, PlainStageConfiguration.class)
			.run((context) -> assertThat(context.getBean(StageCatalog.class).names())
				.containsExactly("hiddenPairSum", "pairSum", "plain", "square"));
	}

	@Test
	void nCpuWhenUnsetShouldBeProcessorsMinusStatefulStagesNotInMaster() {
		int expected = Math.max(1, Runtime.getRuntime().availableProcessors() - 2);
		this.contextRunner.withUserConfiguration(AnnotatedStagesConfiguration.class, PlainStageConfiguration.class)
			.withPropertyValues("blllib.stages.pairSum.stateful=true", "blllib.stages.hiddenPairSum.stateful=true",
					"blllib.stages.plain.run-in-master=true")
			.run((context) -> {
				assertThat(context.getBean(StageCatalog.class).nCpu()).isEqualTo(expected);
				assertThat(workerPool(context.getBean(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME))
					.getMaximumPoolSize()).isEqualTo(expected);
			});
	}

	@Test
	void nCpuWhenSetShouldSizeWorkerPool() {
		this.contextRunner.withPropertyValues("blllib.n-cpu=3").run((context) -> {
			ThreadPoolExecutor pool = workerPool(context.getBean(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME));
			assertThat(pool.getCorePoolSize()).isEqualTo(3);
			assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
		});
	}

	@Test
	void nCpuWhenSetShouldBeGivenToEveryPipeline() {
		this.contextRunner.withUserConfiguration(PlainStageConfiguration.class)
			.withPropertyValues("blllib.n-cpu=3")
			.run((context) -> {
				try (Pipeline<Object, Object> pipeline = context.getBean(PipelineFactory.class).create("p", "plain")) {
					assertThat(pipeline.nCpu()).isEqualTo(3);
				}
			});
	}

	@Test
	void workerPoolShouldUseNamedDaemonThreads() {
		this.contextRunner.run((context) -> {
			ThreadPoolTaskExecutor executor = context.getBean(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME,
					ThreadPoolTaskExecutor.class);
			assertThat(executor.getThreadNamePrefix()).isEqualTo("blllib-worker-");
			assertThat(executor.isDaemon()).isTrue();
		});
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void virtualThreadsSwitchShouldBeIgnoredBelowJava21AsSpringBootIgnoresIt() {
		this.contextRunner.withUserConfiguration(ThreadStagesConfiguration.class)
			.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> {
				try (Pipeline<Integer, List<Thread>> pipeline = context.getBean(PipelineFactory.class)
					.create("p", "workerThread", "dedicatedThread")) {
					List<Thread> threads = pipeline.apply(List.of(1)).stream().findFirst().orElseThrow();
					assertThat(threads).extracting(Thread::getName)
						.containsExactly("blllib-worker-1", "blllib-p-dedicatedThread-1");
					assertThat(threads).allSatisfy((thread) -> assertThat(thread.getClass()).isEqualTo(Thread.class));
				}
			});
	}

	@Test
	void applicationTaskExecutorShouldStillBeAutoConfigured() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasBean("applicationTaskExecutor");
			assertThat(context.getBean(TaskExecutor.class)).isSameAs(context.getBean("applicationTaskExecutor"));
			assertThat(context.getBean(Executor.class)).isSameAs(context.getBean("applicationTaskExecutor"));
		});
	}

	@Test
	void workerPoolWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withUserConfiguration(CustomWorkerPoolConfiguration.class).run((context) -> {
			assertThat(context.getBean(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME))
				.isSameAs(CustomWorkerPoolConfiguration.POOL);
			assertThat(context.getBeansOfType(ThreadPoolTaskExecutor.class)).containsOnlyKeys("applicationTaskExecutor");
			try (Pipeline<Integer, String> pipeline = context.getBean(PipelineFactory.class).create("p", "threadName")) {
				assertThat(pipeline.apply(List.of(1)).stream().toList()).containsExactly("custom-worker");
			}
		});
	}

	@Test
	void dedicatedExecutorFactoryShouldOpenNamedSingleThreadExecutors() {
		this.contextRunner.run((context) -> {
			ExecutorService executor = context.getBean(BlllibAutoConfiguration.DEDICATED_EXECUTOR_FACTORY_BEAN_NAME,
					DedicatedExecutorFactory.class)
				.open("numbers", "sum");
			try {
				assertThat(((ThreadPoolExecutor) executor).getMaximumPoolSize()).isEqualTo(1);
				Thread thread = executor.submit(Thread::currentThread).get();
				assertThat(thread.getName()).isEqualTo("blllib-numbers-sum-1");
				assertThat(thread.isDaemon()).isTrue();
			}
			finally {
				executor.shutdownNow();
			}
		});
	}

	@Test
	void dedicatedExecutorFactoryWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withUserConfiguration(CustomDedicatedExecutorFactoryConfiguration.class)
			.run((context) -> assertThat(context).getBean(DedicatedExecutorFactory.class)
				.isSameAs(CustomDedicatedExecutorFactoryConfiguration.FACTORY));
	}

	@Test
	void pipelineFactoryWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withUserConfiguration(CustomPipelineFactoryConfiguration.class)
			.run((context) -> assertThat(context).getBean(PipelineFactory.class)
				.isInstanceOf(UnsupportedPipelineFactory.class));
	}

	@Test
	void autoConfigurationShouldWorkWithoutActuatorAndMicrometer() {
		this.contextRunner.withUserConfiguration(PlainStageConfiguration.class)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class, Endpoint.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("p", "plain")) {
					assertThat(pipeline.apply(List.of(1, 2, 3)).stream().toList()).containsExactly(1, 2, 3);
				}
			});
	}

	private static ThreadPoolExecutor workerPool(Object bean) {
		return ((ThreadPoolTaskExecutor) bean).getThreadPoolExecutor();
	}

	@Configuration(proxyBeanMethods = false)
	static class PlainStageConfiguration {

		@Bean
		Stage<Integer, Integer> plain() {
			return (x) -> x;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AnnotatedStagesConfiguration {

		@Bean
		PairSum pairSum() {
			return new PairSum();
		}

		@Bean
		Stage<List<Integer>, Integer> hiddenPairSum() {
			return new PairSum();
		}

		@Bean
		@BlllibStage(stateful = "false", batchSize = 3, runInMaster = true)
		Stage<Integer, Integer> square() {
			return (x) -> x * x;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlaceholderStageConfiguration {

		@Bean
		PlaceholderWindow placeholderWindow() {
			return new PlaceholderWindow();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomWorkerPoolConfiguration {

		static final ExecutorService POOL = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "custom-worker");
			thread.setDaemon(true);
			return thread;
		});

		@Bean(defaultCandidate = false)
		ExecutorService blllibWorkerExecutor() {
			return POOL;
		}

		@Bean
		@BlllibStage(stateful = "false")
		Stage<Integer, String> threadName() {
			return (x) -> Thread.currentThread().getName();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThreadStagesConfiguration {

		@Bean
		@BlllibStage(stateful = "false")
		Stage<Integer, List<Thread>> workerThread() {
			return (x) -> List.of(Thread.currentThread());
		}

		@Bean
		Stage<List<Thread>, List<Thread>> dedicatedThread() {
			return (threads) -> List.of(threads.get(0), Thread.currentThread());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomDedicatedExecutorFactoryConfiguration {

		static final DedicatedExecutorFactory FACTORY = (pipeline, stage) -> Executors.newSingleThreadExecutor();

		@Bean
		DedicatedExecutorFactory customDedicatedExecutorFactory() {
			return FACTORY;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomPipelineFactoryConfiguration {

		@Bean
		UnsupportedPipelineFactory customPipelineFactory() {
			return new UnsupportedPipelineFactory();
		}

	}

	@BlllibStage(stateful = "2", batchSize = 4)
	static class PairSum implements Stage<List<Integer>, Integer> {

		@Override
		public Integer apply(List<Integer> window) {
			return window.get(0) + window.get(1);
		}

	}

	@BlllibStage(stateful = "${test.window}")
	static class PlaceholderWindow implements Stage<List<Integer>, Integer> {

		@Override
		public Integer apply(List<Integer> window) {
			return window.size();
		}

	}

}
