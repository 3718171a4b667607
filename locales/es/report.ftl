# The annual report's own text (shared labels such as indicators, plan kinds and answers are in
# main.ftl). Keys start with `report-`; every key must exist in all four languages (a test checks).
report-title = Informe anual { $cycle }: planes nacionales contra la explotación sexual de niñas, niños y adolescentes en las Américas
report-subtitle = Generado por Observa a partir del registro y de las respuestas a la consulta; vigencia de los planes determinada al { $on }
report-contents = Índice
report-page = Página
report-and = y
report-appendix = Apéndice
report-editorial-missing = La Secretaría aún no ha redactado esta sección para este ciclo e idioma.
report-summaries-translated = Los resúmenes de las respuestas de los Estados son obra del equipo de curaduría, redactados a partir del informe y ofrecidos en español, inglés, portugués y francés, cada uno con referencia a su fuente. Las instituciones, los planes y las leyes figuran con su nombre oficial, en su propio idioma, acompañado de una traducción cuando esta difiere.

report-h-introduction = I. Introducción
report-h-methodology = II. Metodología
report-h-status = III. Situación de los planes nacionales
report-h-focal-points = IV. Los planes por eje
report-h-general-evaluation = Evaluación general del proceso
report-h-conclusions = VI. Hallazgos y conclusiones
report-h-findings = Hallazgos calculados a partir del registro
report-h-conclusions-text = Conclusiones
report-h-disagreements = Discrepancias entre la fuente y los datos
report-h-recommendations = VII. Reflexiones finales y recomendaciones
report-h-appendices = VIII. Apéndices
report-h-agencies = Aportes de los organismos internacionales
report-h-laws = Leyes informadas por los Estados
report-h-swot = Síntesis de fortalezas, debilidades, oportunidades y amenazas
report-h-questionnaire = El cuestionario de la consulta
report-h-reporting = Informes al Comité de los Derechos del Niño en virtud del Protocolo Facultativo
report-h-ratifications = Ratificación de los instrumentos internacionales
report-h-comparison = Comparación de los Estados por indicador

report-responses = { $answered } de los { $members } Estados Miembros de la OEA respondieron la consulta de { $cycle }.
report-respondents = Estados que respondieron: { $states }.
report-registry-figures = Para estos Estados, el registro contiene { $plans } planes, { $bodies } órganos rectores con { $members } integrantes, { $laws } leyes, { $actions } acciones y { $services } servicios.
report-responses-caption = Respuestas a la consulta de { $cycle } e instituciones que las elaboraron
report-status-intro = Todos los planes informados por los Estados, con su fecha de aprobación y su vigencia tal como figuran en la fuente, y la indicación de si estaban vigentes al { $on }. Un asterisco señala el último plan aprobado, que es el analizado en el informe.
report-status-caption = Situación de los planes nacionales
report-status-note = "Sin información" en la última columna significa que la fuente no indica fecha de término ni situación que permita determinar si el plan estaba vigente en esa fecha.
report-col-plan = Plan (idioma original)
report-focal-intro = Cada eje de la Agenda para la Acción de Estocolmo comienza indicando cuántos de los Estados que respondieron cumplen cada indicador, con una tabla de las respuestas; a continuación figura un resumen por Estado.
report-indicator-counts = { $indicator }: { $yes } sí, { $partly } parcialmente, { $no } no, { $unknown } sin información (de { $total } Estados).
report-indicators-caption = Indicadores de { $group }, por Estado
report-body-line = creación: { $established }; { $count ->
        [one] un integrante
       *[other] { $count } integrantes
    } ({ $sectors }); expresión local: { $local }.
report-impact-evaluation = evaluación de impacto
report-protection-effective = Marco legal considerado eficaz
report-laws-listed = { $count ->
        [one] una ley informada
       *[other] { $count } leyes informadas
    }
report-difficulties = Dificultades
report-integrated = integrado al sistema de protección
report-evaluation = evaluación
report-col-which-states = Estados involucrados
report-col-category = Categoría
report-col-theme = Tema
report-col-total = Estados
report-col-items = Elementos (Estados que mencionan cada uno)
report-finding-no-specific-plan = { $count } de los { $total } Estados comparados no tienen como último plan aprobado un plan específico contra la explotación sexual de niñas, niños y adolescentes: { $states }.
report-finding-local = { $count ->
        [one] Un órgano rector informa
       *[other] { $count } órganos rectores informan
    } una expresión local, total o parcial: { $bodies }.
report-finding-agencies = Organismos internacionales mencionados por el mayor número de Estados: { $agencies }.
report-finding-prevention = { $count } de { $total } Estados informan una acción de prevención cuyo impacto fue evaluado.
report-finding-services = { $count } de { $total } Estados informan un servicio de recuperación que fue evaluado.
report-finding-children = Se escuchó a niñas, niños y adolescentes en el diseño del plan en { $count } de { $total } Estados, y parcialmente en otros { $partly }.
report-disagreements-intro = El equipo de curaduría registró cada caso en que dos fuentes, o dos partes de la fuente, dicen cosas distintas, junto con la conclusión a la que llegó.
report-col-first = Una fuente dice
report-col-second = La otra dice
report-col-conclusion = Conclusión
report-no-questionnaire = No hay ningún cuestionario registrado para este ciclo.
report-questionnaire-intro = El cuestionario { $id }, versión { $version }, tal como lo reciben los funcionarios de enlace.
report-reporting-intro = Las cifras de la fuente se muestran tal como figuran impresas; la fecha de vencimiento conforme al artículo 12(1) se calcula según las propias reglas del Protocolo, y la última columna cuenta las discrepancias detectadas.
report-col-report = Informe
report-col-ratification = Ratificación (fuente)
report-col-due-source = Vencimiento (fuente)
report-col-due-rule = Vencimiento (regla del art. 12)
report-col-distributed = Distribuido
report-col-discussed = Examinado
report-col-flags = Alertas
report-ratifications-intro = Fechas de ratificación por Estado e instrumento; "a" indica adhesión, "d" sucesión, "s" firma no seguida de ratificación, "—" ninguna acción; una celda vacía significa que la tabla de la fuente no tiene fila para ese Estado.
report-comparison-intro = Los dieciséis indicadores para los Estados que respondieron, al { $on }.
report-short-yes = S
report-short-partial = P
report-short-no = N
report-short-unknown = ?
report-short-legend = S: sí; P: parcialmente; N: no; ?: sin información.
report-sheet-status = Situación de los planes
report-sheet-agencies = Organismos
report-sheet-laws = Leyes
report-sheet-swot = FODA
report-sheet-reporting = Apéndice 2 informes
report-sheet-ratifications = Apéndice 3 ratificaciones
report-sheet-comparison = Comparación
report-h-rio = Evaluación frente al compromiso de Río de Janeiro
report-rio-intro = El último plan aprobado de cada Estado se evalúa frente a los { $criteria } elementos de un plan definidos en el Tercer Congreso Mundial (Río de Janeiro, 2008), con las reglas publicadas en las páginas de análisis del portal. La puntuación suma 2 puntos por criterio cumplido y 1 por criterio cumplido en parte, sobre los criterios que pudieron evaluarse; la respuesta del Estado se muestra tal como fue escrita.
report-col-score = Puntuación
report-col-reply = Respuesta del Estado
report-sheet-rio = Compromiso de Río
report-adoption-pending-approval = pendiente de aprobación
report-adoption-to-be-submitted = por presentar
report-adoption-unknown = no se sabe

# The monitoring section (approved values only).
report-h-monitoring = V. Seguimiento de los planes
report-monitoring-none = Ningún Estado ha informado todavía datos de seguimiento: ningún plan se sigue con indicadores en Observa. Un Estado comienza cuando la secretaría crea una cuenta de “coordinador o coordinadora del plan” para su comisión nacional o secretaría técnica; quien coordina registra la matriz de acciones del plan (objetivos, líneas de acción, acciones e indicadores con línea de base y meta) en el portal o subiendo la hoja de cálculo del plan, y luego informa un valor por indicador y período, que esta sección cuenta una vez que la secretaría lo aprueba.
report-monitoring-intro = Cifras al { $on }, a partir de los valores que aprobó la secretaría; no se cuentan los valores pendientes de aprobación ni los devueltos. { $count } de los { $total } Estados Miembros de la OEA siguen su plan con indicadores: { $states }.
report-h-monitoring-states = Comparación entre los Estados
report-monitoring-states-table = Planes con seguimiento mediante indicadores: puntos focales atendidos y datos recientes
report-col-recent = Indicadores con un valor aprobado del último año
report-col-recent-share = Proporción (%)
report-monitoring-coverage-caption = Puntos focales que atienden los indicadores de los Estados
report-monitoring-tracks-caption = Indicadores en buen camino, rezagados y sin datos para juzgar, por plan
report-sheet-monitoring = Seguimiento
report-sheet-monitoring-tracks = Veredictos del seguimiento
report-h-monitoring-plans = Indicadores clave por plan
report-monitoring-key-intro = Para cada plan se grafican como máximo { $count } indicadores: los que tienen valores aprobados, primero los de resultado y luego los que tienen más valores. Cada gráfico muestra los valores aprobados y la línea discontinua que va de la línea de base a la meta; la tabla que lo sigue da las mismas cifras.
report-monitoring-plan-summary = { $indicators ->
        [one] Un indicador
       *[other] { $indicators } indicadores
    }: { $on } en buen camino, { $off } rezagados, { $none } sin datos para juzgar.
report-monitoring-no-key = Ningún indicador de este plan tiene todavía un valor aprobado.
report-monitoring-chart-caption = { $indicator } ({ $unit }): { $track }
report-monitoring-data-caption = Cifras del gráfico: { $indicator }
report-monitoring-approved = Valor aprobado
report-col-point = Punto
report-col-date = Fecha
report-chart-note = Gráfico en las ediciones HTML, PDF y DOCX; sus cifras siguen
report-monitoring-earlier = { $count ->
        [one] Un valor aprobado anterior (en el gráfico y en la hoja de cálculo)
       *[other] { $count } valores aprobados anteriores (en el gráfico y en la hoja de cálculo)
    }
report-monitoring-demonstration = Datos de demostración: las cifras de seguimiento de esta sección son sintéticas, generadas por “observa demo” para probar Observa. No son informes de ningún Estado.
