package io.github.blllib.demo.kafka;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The demo's "embedded default": in profile {@value KafkaDemo#PROFILE} with no
 * {@code spring.kafka.bootstrap-servers}, starts a one-node KRaft broker from the Maven jars
 * (spring-kafka-test's {@link EmbeddedKafkaKraftBroker}) with the demo's topics, and points
 * {@code spring.kafka.bootstrap-servers} at it before Spring Boot's Kafka auto-configuration
 * reads it. The broker is a bean registered first, so it is destroyed last: after the Kafka job
 * has stopped and committed. Registered in {@code META-INF/spring.factories}.
 */
public class EmbeddedKafkaInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	/** The property the broker's address is written to. */
	static final String BOOTSTRAP_SERVERS = "spring.kafka.bootstrap-servers";

	private static final String BEAN_NAME = "demoEmbeddedKafkaBroker";

	private static final Log logger = LogFactory.getLog(EmbeddedKafkaInitializer.class);

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		if (!environment.acceptsProfiles(Profiles.of(KafkaDemo.PROFILE)) || environment.containsProperty(BOOTSTRAP_SERVERS)) {
			return;
		}
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, KafkaDemo.PARTITIONS, KafkaDemo.ORDERS_TOPIC,
				KafkaDemo.PRICED_TOPIC, KafkaDemo.ORDERS_TOPIC + "-dlt");
		broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
		broker.afterPropertiesSet();
		String address = broker.getBrokersAsString();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("demoEmbeddedKafka", Map.of(BOOTSTRAP_SERVERS, address)));
		DefaultListableBeanFactory beanFactory = (DefaultListableBeanFactory) context.getBeanFactory();
		beanFactory.registerSingleton(BEAN_NAME, broker);
		beanFactory.registerDisposableBean(BEAN_NAME, broker);
		logger.info("No " + BOOTSTRAP_SERVERS + " given: started an embedded KRaft broker at " + address);
	}

}
