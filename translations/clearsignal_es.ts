<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>ClearSignal::MainWindow</name>
    <message>
        <source>ClearSignal</source>
        <translation>ClearSignal</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Páginas</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>Rule templates</source>
        <translation>Plantillas de reglas</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <source>&amp;About ClearSignal</source>
        <translation>&amp;Acerca de ClearSignal</translation>
    </message>
    <message>
        <source>About ClearSignal</source>
        <translation>Acerca de ClearSignal</translation>
    </message>
    <message>
        <source>&lt;h3&gt;ClearSignal %1&lt;/h3&gt;&lt;p&gt;Keeps protected health information off TikTok while your practice still measures its ads.&lt;/p&gt;&lt;p&gt;Hashing is not de-identification: ClearSignal sends no identifier of a person unless someone at your practice approved it.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ClearSignal %1&lt;/h3&gt;&lt;p&gt;Mantiene la información de salud protegida fuera de TikTok mientras su consulta sigue midiendo sus anuncios.&lt;/p&gt;&lt;p&gt;Aplicar un hash no es desidentificar: ClearSignal no envía ningún identificador de una persona salvo que alguien de su consulta lo haya aprobado.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>ClearSignal::OverviewPage</name>
    <message>
        <source>&lt;h2&gt;Keep patient data off TikTok&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Mantenga los datos de sus pacientes fuera de TikTok&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>ClearSignal checks what your website sends to TikTok and other ad platforms, removes health information from every conversion before it leaves, and keeps watching so a tracking pixel cannot creep back.</source>
        <translation>ClearSignal comprueba lo que su sitio web envía a TikTok y a otras plataformas publicitarias, elimina la información de salud de cada conversión antes de que salga y sigue vigilando para que ningún píxel de seguimiento vuelva a aparecer.</translation>
    </message>
    <message>
        <source>Health lexicon %1: %2 terms in %3 lists (conditions, procedures, medications, specialties; English and Spanish).</source>
        <translation>Léxico de salud %1: %2 términos en %3 listas (afecciones, procedimientos, medicamentos, especialidades; inglés y español).</translation>
    </message>
    <message>
        <source>The health lexicon could not be loaded: %1. Reinstall ClearSignal; until then nothing can be sanitized.</source>
        <translation>No se pudo cargar el léxico de salud: %1. Reinstale ClearSignal; hasta entonces no se puede depurar nada.</translation>
    </message>
</context>
<context>
    <name>ClearSignal::RuleTemplateModel</name>
    <message>
        <source>Template</source>
        <translation>Plantilla</translation>
    </message>
    <message>
        <source>For</source>
        <translation>Para</translation>
    </message>
    <message>
        <source>Event mappings</source>
        <translation>Asignaciones de eventos</translation>
    </message>
    <message>
        <source>Fields sent to TikTok</source>
        <translation>Campos enviados a TikTok</translation>
    </message>
</context>
<context>
    <name>ClearSignal::TemplatesPage</name>
    <message>
        <source>&lt;h2&gt;Rule templates&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Plantillas de reglas&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Every template is safe by default: only conversions leave, page addresses are reduced to your site&apos;s address, and no identifier of a person is sent.</source>
        <translation>Todas las plantillas son seguras por defecto: solo salen conversiones, las direcciones de página se reducen a la dirección de su sitio y no se envía ningún identificador de una persona.</translation>
    </message>
</context>
</TS>
