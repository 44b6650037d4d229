package net.pflowd;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * The layering README's Architecture section draws, checked on the compiled classes so that it stays true: the
 * pipeline runs source → flow → export → wire, with iface doing the I/O of one interface; the formats and the
 * decoder are pure; the configuration model is pure too, below the control socket and the daemon that use it.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("net.pflowd");

    /**
     * What pure code must not touch: sockets, files, processes, native calls, the OS layer. (A constant of the
     * bindings, {@code In.IPPROTO_UDP}, is compiled into its user as a literal: it is no dependency.)
     */
    private static final DescribedPredicate<JavaClass> IO = resideInAnyPackage("java.nio.channels..",
            "java.nio.file..", "com.sun.jna..", "net.pflowd.linux..", "net.pflowd.os..", "net.pflowd.netlink..")
            .or(belongToAnyOf(Socket.class, DatagramSocket.class, ServerSocket.class, File.class,
                    FileInputStream.class, FileOutputStream.class, ProcessBuilder.class, Process.class));

    @Test
    void wireAndDecodeAndFlowAreFreeOfIo() {
        noClasses().that().resideInAnyPackage("net.pflowd.wire..", "net.pflowd.decode..", "net.pflowd.flow..")
                .should().dependOnClassesThat(IO)
                .check(MAIN);
    }

    @Test
    void wireAndDecodeKnowNothingOfThePipelineAroundThem() {
        noClasses().that().resideInAnyPackage("net.pflowd.wire..", "net.pflowd.decode..")
                .should().dependOnClassesThat().resideInAnyPackage("net.pflowd.export..", "net.pflowd.iface..",
                        "net.pflowd.source..", "net.pflowd.control..", "net.pflowd.daemon..", "net.pflowd.listen..",
                        "net.pflowd.config..")
                .check(MAIN);
    }

    @Test
    void theConfigurationModelIsPureAndBelowItsUsers() {
        // The configuration file's loader reads one file; nothing else of the model touches I/O or the OS layer.
        noClasses().that().resideInAPackage("net.pflowd.config..").and().doNotHaveSimpleName("ConfigFile")
                .should().dependOnClassesThat(IO)
                .check(MAIN);
        noClasses().that().resideInAPackage("net.pflowd.config..")
                .should().dependOnClassesThat().resideInAnyPackage("net.pflowd.control..", "net.pflowd.daemon..",
                        "net.pflowd.export..", "net.pflowd.iface..", "net.pflowd.source..", "net.pflowd.os..")
                .check(MAIN);
        classes().that().resideInAPackage("net.pflowd.text..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "net.pflowd.text..")
                .check(MAIN);
    }

    @Test
    void exportNeverImportsIfaceNorTheDaemon() {
        noClasses().that().resideInAPackage("net.pflowd.export..")
                .should().dependOnClassesThat().resideInAnyPackage("net.pflowd.iface..", "net.pflowd.daemon..",
                        "net.pflowd.control..", "net.pflowd.source..")
                .check(MAIN);
    }

    @Test
    void sourcesNeverImportExportNorTheDaemon() {
        noClasses().that().resideInAPackage("net.pflowd.source..")
                .should().dependOnClassesThat().resideInAnyPackage("net.pflowd.export..", "net.pflowd.iface..",
                        "net.pflowd.daemon..", "net.pflowd.control..")
                .check(MAIN);
    }

    @Test
    void onlyTheOsLayerAndTheStagesDoingSystemCallsTouchJna() {
        noClasses().that().resideOutsideOfPackages("net.pflowd.os..", "net.pflowd.netlink..", "net.pflowd.iface..",
                        "net.pflowd.source..", "net.pflowd.linux..")
                .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
                .because("errno comes back as an ErrnoException from the OS layer, not as JNA's LastErrorException")
                .check(MAIN);
    }

    @Test
    void theOsLayerKnowsNothingOfThePipeline() {
        noClasses().that().resideInAPackage("net.pflowd.os..")
                .should().dependOnClassesThat(resideInAPackage("net.pflowd..")
                        .and(DescribedPredicate.not(resideInAnyPackage("net.pflowd.os..", "net.pflowd.linux.."))))
                .check(MAIN);
    }

    @Test
    void noPackageCycles() {
        slices().matching("net.pflowd.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /**
     * JSON is read and written with Jackson's streaming layer only (ControlJson, FlowJson): the data binding and its
     * annotations are test tools, and the runtime jars hold neither (ShadedJarIT, ifconfig-cli's ThinJarIT).
     */
    @Test
    void noJacksonDataBinding() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson.databind..",
                        "com.fasterxml.jackson.annotation..")
                .check(MAIN);
    }
}
