import type { Catalogue } from './strings.js';

export const fr: Catalogue = {
    'dialog.close': 'Fermer',
    'dialog.back': 'Retour',
    'dialog.watermark': 'Sécurisé par Spoke',
    'dialog.loading': 'Chargement…',

    'confirm.title': 'Abandonner vos modifications ?',
    'confirm.body': 'Les informations saisies seront perdues.',
    'confirm.keep': 'Continuer la saisie',
    'confirm.discard': 'Abandonner',

    'list.title': 'Connecter un compte',
    'list.intro': 'Choisissez le service à connecter.',
    'list.empty.title': 'Rien à connecter pour le moment',
    'list.empty.body': "Aucune intégration n'est disponible ici. Contactez l'application qui vous a envoyé sur cette page.",

    'logo.alt': 'Logo {provider}',

    'connect.title': 'Connecter {provider}',
    'reconnect.title': 'Reconnecter {provider}',
    'connect.submit': 'Connecter',
    'connect.submitting': 'Connexion…',
    'connect.guide': "Besoin d'aide ?",
    'connect.guideLink': 'Consulter le guide de connexion',

    'form.intro': 'Saisissez vos informations {provider} pour connecter votre compte.',
    'form.optional': 'Facultatif',
    'form.required': 'Obligatoire',
    'form.selectPlaceholder': 'Choisir…',
    'form.show': 'Afficher {field}',
    'form.hide': 'Masquer {field}',
    'form.fieldHelp': 'Où trouver : {field}',

    'field.apiKey': 'Clé API',
    'field.username': "Nom d'utilisateur",
    'field.password': 'Mot de passe',
    'field.client_id': 'ID client',
    'field.client_secret': 'Secret client',
    'field.token_id': 'ID du jeton',
    'field.token_secret': 'Secret du jeton',

    'validation.required': 'Ce champ est obligatoire.',
    'validation.pattern': "Cette valeur n'a pas le format attendu.",
    'validation.patternExample': "Cette valeur n'a pas le format attendu, par exemple : {example}",
    'validation.email': 'Saisissez une adresse e-mail valide.',
    'validation.hostname': "Saisissez un nom d'hôte sans https://, par exemple : api.example.com",
    'validation.uri': 'Saisissez une URL complète, par exemple : https://example.com',
    'validation.uuid': 'Saisissez un UUID, par exemple : 123e4567-e89b-12d3-a456-426614174000',

    'oauth.intro': 'Nous allons vous connecter à {provider}. Une fenêtre pop-up va s’ouvrir.',
    'oauth.waiting': 'En attente de {provider}…',
    'oauth.waitingHelp': 'Terminez la connexion à {provider} dans la fenêtre pop-up.',
    'oauth.reopen': 'Vous ne voyez pas la fenêtre ? Rouvrez-la',
    'oauth.blocked': 'Votre navigateur a bloqué la fenêtre pop-up. Autorisez les pop-ups pour ce site, puis réessayez.',
    'oauth.closed': 'La fenêtre a été fermée avant la fin de la connexion.',
    'oauth.retry': 'Réessayer',

    'success.title': 'Connecté !',
    'success.body': 'Votre compte {provider} est maintenant connecté.',
    'success.finish': 'Terminer',
    'success.closeTab': 'Vous pouvez fermer cet onglet.',

    'failure.title': 'La connexion a échoué',
    'failure.fallback': 'Une erreur est survenue lors de la connexion à {provider}.',
    'failure.details': 'Afficher les détails techniques',
    'failure.retry': 'Réessayer',

    'error.noToken.title': 'Cette page ne peut pas être ouverte directement',
    'error.noToken.body': "Ouvrez-la depuis l'application dans laquelle vous voulez connecter un compte.",
    'error.noToken.event': "La page hôte n'a envoyé aucun jeton de session en 10 secondes.",
    'error.expired.title': 'Ce lien est invalide ou a expiré',
    'error.expired.body': "Retournez dans l'application d'origine et recommencez.",
    'error.network.title': 'Impossible de joindre le serveur',
    'error.network.body': 'Vérifiez votre connexion internet, puis réessayez.',
    'error.generic.title': 'Une erreur est survenue',
    'error.generic.body': 'Veuillez réessayer dans un instant.',
    'error.unsupported': '{provider} ne peut pas encore être connecté depuis cette page.',
    'error.retry': 'Réessayer',
    'error.network': "Le serveur n'a pas pu être joint.",
    'error.http': 'Le serveur a répondu par une erreur (HTTP {status}).'
};
