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
    <message>
        <source>Relay</source>
        <translation>Relé</translation>
    </message>
    <message>
        <source>&amp;Open Workspace…</source>
        <translation>&amp;Abrir espacio de trabajo…</translation>
    </message>
    <message>
        <source>&amp;New Workspace…</source>
        <translation>&amp;Nuevo espacio de trabajo…</translation>
    </message>
</context>
<context>
    <name>ClearSignal::NewWorkspaceDialog</name>
    <message>
        <source>New Workspace</source>
        <translation>Nuevo espacio de trabajo</translation>
    </message>
    <message>
        <source>A workspace holds one site&apos;s rules, consent records and the relay&apos;s queue. No visitor&apos;s data is kept in it in clear.</source>
        <translation>Un espacio de trabajo guarda las reglas de un sitio, los registros de consentimiento y la cola del relé. Ningún dato de un visitante se guarda en él sin cifrar.</translation>
    </message>
    <message>
        <source>&amp;Website:</source>
        <translation>Sitio &amp;web:</translation>
    </message>
    <message>
        <source>From TikTok Events Manager, such as C3LTV833G487IS978FKG</source>
        <translation>De TikTok Events Manager, por ejemplo C3LTV833G487IS978FKG</translation>
    </message>
    <message>
        <source>TikTok &amp;pixel ID:</source>
        <translation>ID del &amp;píxel de TikTok:</translation>
    </message>
    <message>
        <source>&amp;Rules template:</source>
        <translation>Plantilla de &amp;reglas:</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Examinar…</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Archivo:</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Crear</translation>
    </message>
    <message>
        <source>ClearSignal workspaces (*.csdb)</source>
        <translation>Espacios de trabajo de ClearSignal (*.csdb)</translation>
    </message>
    <message>
        <source>Enter the TikTok pixel ID the events are for (TikTok Events Manager, your pixel).</source>
        <translation>Escriba el ID del píxel de TikTok al que van los eventos (TikTok Events Manager, su píxel).</translation>
    </message>
    <message>
        <source>Choose where the workspace file goes.</source>
        <translation>Elija dónde guardar el archivo del espacio de trabajo.</translation>
    </message>
    <message>
        <source>%1 exists already; choose another file, or open it with File &gt; Open Workspace.</source>
        <translation>%1 ya existe; elija otro archivo o ábralo con Archivo &gt; Abrir espacio de trabajo.</translation>
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
    <name>ClearSignal::RelayPage</name>
    <message>
        <source>&lt;h2&gt;Relay&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Relé&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>The relay takes your site&apos;s events on an address of your own, checks consent, removes health information and delivers only what your rules allow to the TikTok Events API. Events are kept on disk until TikTok has them.</source>
        <translation>El relé recibe los eventos de su sitio en una dirección propia, comprueba el consentimiento, elimina la información de salud y entrega a la Events API de TikTok solo lo que sus reglas permiten. Los eventos se guardan en disco hasta que TikTok los tiene.</translation>
    </message>
    <message>
        <source>Workspace</source>
        <translation>Espacio de trabajo</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Abrir…</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Archivo:</translation>
    </message>
    <message>
        <source>Address and port the relay listens on. 127.0.0.1 keeps it on this computer.</source>
        <translation>Dirección y puerto en los que escucha el relé. 127.0.0.1 lo mantiene en este equipo.</translation>
    </message>
    <message>
        <source>&amp;Listen on:</source>
        <translation>&amp;Escuchar en:</translation>
    </message>
    <message>
        <source>&amp;Start relay</source>
        <translation>&amp;Iniciar relé</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Detenido.</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Entrega</translation>
    </message>
    <message>
        <source>Events received:</source>
        <translation>Eventos recibidos:</translation>
    </message>
    <message>
        <source>Waiting to be sent:</source>
        <translation>Pendientes de envío:</translation>
    </message>
    <message>
        <source>Delivered to TikTok:</source>
        <translation>Entregados a TikTok:</translation>
    </message>
    <message>
        <source>Refused by TikTok (kept aside):</source>
        <translation>Rechazados por TikTok (apartados):</translation>
    </message>
    <message>
        <source>Delivery:</source>
        <translation>Entrega:</translation>
    </message>
    <message>
        <source>Last TikTok error:</source>
        <translation>Último error de TikTok:</translation>
    </message>
    <message>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <source>Snippet for your site</source>
        <translation>Fragmento para su sitio</translation>
    </message>
    <message>
        <source>Start the relay to see the snippet.</source>
        <translation>Inicie el relé para ver el fragmento.</translation>
    </message>
    <message>
        <source>&amp;Copy snippet</source>
        <translation>&amp;Copiar fragmento</translation>
    </message>
    <message>
        <source>Listening on %1, reachable from other computers.</source>
        <translation>Escuchando en %1, accesible desde otros equipos.</translation>
    </message>
    <message>
        <source>Listening on %1 (this computer only).</source>
        <translation>Escuchando en %1 (solo este equipo).</translation>
    </message>
    <message>
        <source>The workspace file refused a write: %1</source>
        <translation>El archivo del espacio de trabajo rechazó una escritura: %1</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>No se puede abrir %1: %2</translation>
    </message>
    <message>
        <source>Open Workspace</source>
        <translation>Abrir espacio de trabajo</translation>
    </message>
    <message>
        <source>ClearSignal workspaces (*.csdb);;All files (*)</source>
        <translation>Espacios de trabajo de ClearSignal (*.csdb);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Other computers can reach the relay on %1. Only do this behind a reverse proxy with TLS (see docs/relay.md): browsers on an https site will not send events to plain http, and the relay should never face the internet directly.</source>
        <translation>Otros equipos pueden acceder al relé en %1. Hágalo solo detrás de un proxy inverso con TLS (vea docs/relay.md): los navegadores de un sitio https no enviarán eventos a http sin cifrar, y el relé nunca debe quedar expuesto directamente a internet.</translation>
    </message>
    <message>
        <source>&amp;Stop relay</source>
        <translation>&amp;Detener relé</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
    <message>
        <source>Cannot save the address: %1</source>
        <translation>No se puede guardar la dirección: %1</translation>
    </message>
    <message>
        <source>Stopping: storing what was received…</source>
        <translation>Deteniendo: guardando lo recibido…</translation>
    </message>
    <message>
        <source>Paused for %1 s: %2</source>
        <translation>En pausa durante %1 s: %2</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En marcha</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ninguno</translation>
    </message>
    <message>
        <source>Put this on every page instead of the TikTok Pixel, with the address of your TLS proxy in front of the relay, then call clearsignal.track(&quot;Lead&quot;) where a conversion happens.</source>
        <translation>Póngalo en cada página en lugar del píxel de TikTok, con la dirección de su proxy TLS delante del relé, y llame a clearsignal.track(&quot;Lead&quot;) donde ocurra una conversión.</translation>
    </message>
    <message>
        <source>Set &amp;Access Token…</source>
        <translation>Definir &amp;token de acceso…</translation>
    </message>
    <message>
        <source>The TikTok Events API access token, kept in the system keychain</source>
        <translation>El token de acceso de la Events API de TikTok, guardado en el llavero del sistema</translation>
    </message>
    <message>
        <source>Kept in the system keychain, never in the workspace file.</source>
        <translation>Se guarda en el llavero del sistema, nunca en el archivo del espacio de trabajo.</translation>
    </message>
    <message>
        <source>TikTok:</source>
        <translation>TikTok:</translation>
    </message>
    <message>
        <source>The access token is in the system keychain.</source>
        <translation>El token de acceso está en el llavero del sistema.</translation>
    </message>
    <message>
        <source>TikTok Access Token</source>
        <translation>Token de acceso de TikTok</translation>
    </message>
    <message>
        <source>Paste the access token from TikTok Events Manager (your pixel, Settings, Events API, Generate Access Token). ClearSignal keeps it in the system keychain.</source>
        <translation>Pegue el token de acceso de TikTok Events Manager (su píxel, Configuración, Events API, Generar token de acceso). ClearSignal lo guarda en el llavero del sistema.</translation>
    </message>
    <message>
        <source>Storing the access token…</source>
        <translation>Guardando el token de acceso…</translation>
    </message>
    <message>
        <source>No workspace open: make one for your site with New…</source>
        <translation>Ningún espacio de trabajo abierto: cree uno para su sitio con Nuevo…</translation>
    </message>
    <message>
        <source>&amp;New…</source>
        <translation>&amp;Nuevo…</translation>
    </message>
    <message>
        <source>Workspace created. Set the TikTok access token, then start the relay.</source>
        <translation>Espacio de trabajo creado. Defina el token de acceso de TikTok y después inicie el relé.</translation>
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
