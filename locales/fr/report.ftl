# The annual report's own text (shared labels such as indicators, plan kinds and answers are in
# main.ftl). Keys start with `report-`; every key must exist in all four languages (a test checks).
report-title = Rapport annuel { $cycle } : plans nationaux contre l'exploitation sexuelle des enfants et adolescents dans les Amériques
report-subtitle = Généré par Observa à partir du registre et des réponses à la consultation ; validité des plans appréciée au { $on }
report-contents = Table des matières
report-page = Page
report-and = et
report-appendix = Appendice
report-editorial-missing = Le Secrétariat n'a pas encore rédigé cette partie pour ce cycle et cette langue.
report-summaries-translated = Les résumés des réponses des États sont l'œuvre de l'équipe de curation, rédigés à partir du rapport et proposés en français, anglais, espagnol et portugais, chacun avec un renvoi à sa source. Les institutions, plans et lois portent leur nom officiel, dans leur propre langue, accompagné d'une traduction lorsqu'elle diffère.

report-h-introduction = I. Introduction
report-h-methodology = II. Méthodologie
report-h-status = III. Situation des plans nationaux
report-h-focal-points = IV. Les plans par axe
report-h-general-evaluation = Évaluation générale du processus
report-h-conclusions = VI. Constats et conclusions
report-h-findings = Constats calculés à partir du registre
report-h-conclusions-text = Conclusions
report-h-disagreements = Divergences entre la source et les données
report-h-recommendations = VII. Réflexions finales et recommandations
report-h-appendices = VIII. Appendices
report-h-agencies = Contributions des organismes internationaux
report-h-laws = Lois citées par les États
report-h-swot = Synthèse des forces, faiblesses, opportunités et menaces
report-h-questionnaire = Le questionnaire de la consultation
report-h-reporting = Rapports au Comité des droits de l'enfant au titre du Protocole facultatif
report-h-ratifications = Ratification des instruments internationaux
report-h-comparison = Comparaison des États par indicateur

report-responses = { $answered } des { $members } États membres de l'OEA ont répondu à la consultation { $cycle }.
report-respondents = États ayant répondu : { $states }.
report-registry-figures = Pour ces États, le registre contient { $plans } plans, { $bodies } organes directeurs comptant { $members } membres, { $laws } lois, { $actions } actions et { $services } services.
report-responses-caption = Réponses à la consultation { $cycle } et institutions qui les ont préparées
report-status-intro = Tous les plans cités par les États, avec leur date d'adoption et leur validité telles que la source les formule, et l'indication s'ils étaient en vigueur au { $on }. Un astérisque signale le dernier plan approuvé, celui qu'analyse le rapport.
report-status-caption = Situation des plans nationaux
report-status-note = « Inconnu » dans la dernière colonne signifie que la source n'indique ni date de fin ni statut permettant de déterminer si le plan était en vigueur à cette date.
report-col-plan = Plan (langue d'origine)
report-focal-intro = Chaque axe du Programme d'action de Stockholm s'ouvre sur le nombre d'États répondants qui satisfont à chaque indicateur et sur un tableau des réponses ; suit un résumé par État.
report-indicator-counts = { $indicator } : { $yes } oui, { $partly } en partie, { $no } non, { $unknown } inconnu (sur { $total } États).
report-indicators-caption = Indicateurs : { $group }, par État
report-body-line = création : { $established } ; { $count ->
        [one] { $count } membre
       *[other] { $count } membres
    } ({ $sectors }) ; expression locale : { $local }.
report-impact-evaluation = évaluation d'impact
report-protection-effective = Cadre juridique jugé efficace
report-laws-listed = { $count ->
        [one] { $count } loi citée
       *[other] { $count } lois citées
    }
report-difficulties = Difficultés
report-integrated = intégré au système de protection
report-evaluation = évaluation
report-col-which-states = États concernés
report-col-category = Catégorie
report-col-theme = Thème
report-col-total = États
report-col-items = Éléments (États citant chacun)
report-finding-no-specific-plan = { $count } des { $total } États comparés n'ont pas, comme dernier plan approuvé, de plan spécifique à l'exploitation sexuelle des enfants et adolescents : { $states }.
report-finding-local = { $count ->
        [one] { $count } organe directeur signale
       *[other] { $count } organes directeurs signalent
    } une expression locale, totale ou partielle : { $bodies }.
report-finding-agencies = Organismes internationaux cités par le plus grand nombre d'États : { $agencies }.
report-finding-prevention = { $count } des { $total } États signalent une action de prévention dont l'impact a été évalué.
report-finding-services = { $count } des { $total } États signalent un service de réadaptation qui a été évalué.
report-finding-children = Les enfants et adolescents ont été entendus lors de l'élaboration du plan dans { $count } des { $total } États, et en partie dans { $partly } autres.
report-disagreements-intro = L'équipe de curation a consigné chaque cas où deux sources, ou deux parties de la source, divergent, ainsi que la conclusion retenue.
report-col-first = Une source indique
report-col-second = L'autre indique
report-col-conclusion = Conclusion
report-no-questionnaire = Aucun questionnaire n'est enregistré pour ce cycle.
report-questionnaire-intro = Le questionnaire { $id }, version { $version }, tel que le reçoivent les agents de liaison.
report-reporting-intro = Les chiffres de la source sont reproduits tels qu'imprimés ; l'échéance prévue à l'article 12(1) est calculée selon les règles du Protocole lui-même, et la dernière colonne compte les divergences relevées.
report-col-report = Rapport
report-col-ratification = Ratification (source)
report-col-due-source = Échéance (source)
report-col-due-rule = Échéance (règle de l'art. 12)
report-col-distributed = Distribué
report-col-discussed = Examiné
report-col-flags = Signalements
report-ratifications-intro = Dates de ratification par État et par instrument ; « a » indique une adhésion, « d » une succession, « s » une signature non suivie de ratification, « — » aucune action ; une cellule vide signifie que le tableau de la source ne comporte pas de ligne pour l'État.
report-comparison-intro = Les seize indicateurs pour les États répondants, au { $on }.
report-short-yes = O
report-short-partial = P
report-short-no = N
report-short-unknown = ?
report-short-legend = O : oui ; P : en partie ; N : non ; ? : inconnu.
report-sheet-status = Situation des plans
report-sheet-agencies = Organismes
report-sheet-laws = Lois
report-sheet-swot = AFOM
report-sheet-reporting = Appendice 2 rapports
report-sheet-ratifications = Appendice 3 ratifications
report-sheet-comparison = Comparaison
report-h-rio = Évaluation au regard de l'engagement de Rio de Janeiro
report-rio-intro = Le dernier plan approuvé de chaque État est évalué au regard des { $criteria } éléments d'un plan définis lors du troisième Congrès mondial (Rio de Janeiro, 2008), selon les règles publiées dans les pages d'analyse du portail. Le score compte 2 points par critère rempli et 1 par critère rempli en partie, sur les critères qui ont pu être évalués ; la réponse de l'État est reproduite telle quelle.
report-col-score = Score
report-col-reply = Réponse de l'État
report-sheet-rio = Engagement de Rio
report-adoption-pending-approval = en attente d'approbation
report-adoption-to-be-submitted = à soumettre
report-adoption-unknown = inconnue

# The monitoring section (approved values only).
report-h-monitoring = V. Suivi des plans
report-monitoring-none = Aucun État n'a encore communiqué de données de suivi : aucun plan n'est suivi au moyen d'indicateurs dans Observa. Un État commence lorsque le secrétariat crée un compte de « coordinateur ou coordinatrice du plan » pour sa commission nationale ou son secrétariat technique ; la personne qui coordonne enregistre la matrice d'actions du plan (objectifs, axes d'action, actions et indicateurs avec niveau de référence et cible) sur le portail ou en téléversant le classeur du plan, puis communique une valeur pour chaque indicateur et chaque période, que cette section compte dès que le secrétariat l'a approuvée.
report-monitoring-intro = Chiffres au { $on }, à partir des valeurs approuvées par le secrétariat ; les valeurs en attente d'approbation ou renvoyées ne sont pas comptées. { $count } des { $total } États membres de l'OEA suivent leur plan au moyen d'indicateurs : { $states }.
report-h-monitoring-states = Les États comparés
report-monitoring-states-table = Plans suivis au moyen d'indicateurs : points focaux couverts et données récentes
report-col-recent = Indicateurs ayant une valeur approuvée de la dernière année
report-col-recent-share = Part (%)
report-monitoring-coverage-caption = Points focaux couverts par les indicateurs des États
report-monitoring-tracks-caption = Indicateurs en bonne voie, hors trajectoire et sans données pour en juger, par plan
report-sheet-monitoring = Suivi
report-sheet-monitoring-tracks = Verdicts du suivi
report-h-monitoring-plans = Indicateurs clés par plan
report-monitoring-key-intro = Pour chaque plan, au plus { $count } indicateurs sont représentés : ceux qui ont des valeurs approuvées, d'abord les indicateurs de résultat, puis ceux qui ont le plus de valeurs. Chaque graphique montre les valeurs approuvées et la ligne pointillée qui va du niveau de référence à la cible ; le tableau qui le suit donne les mêmes chiffres.
report-monitoring-plan-summary = { $indicators ->
        [one] Un indicateur
       *[other] { $indicators } indicateurs
    } : { $on } en bonne voie, { $off } hors trajectoire, { $none } sans données pour en juger.
report-monitoring-no-key = Aucun indicateur de ce plan n'a encore de valeur approuvée.
report-monitoring-chart-caption = { $indicator } ({ $unit }) : { $track }
report-monitoring-data-caption = Chiffres du graphique : { $indicator }
report-monitoring-approved = Valeur approuvée
report-col-point = Point
report-col-date = Date
report-chart-note = Graphique dans les éditions HTML, PDF et DOCX ; ses chiffres suivent
report-monitoring-earlier = { $count ->
        [one] Une valeur approuvée antérieure (dans le graphique et le classeur)
       *[other] { $count } valeurs approuvées antérieures (dans le graphique et le classeur)
    }
report-monitoring-demonstration = Données de démonstration : les chiffres de suivi de cette section sont synthétiques, produits par « observa demo » pour essayer Observa. Ce ne sont les rapports d'aucun État.
